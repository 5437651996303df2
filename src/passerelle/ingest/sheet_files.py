"""Spreadsheet files: read within limits, written without live formulas.

Every sheet, from the back office's Import or from ``import-sheet``, is read
here, so both apply the same limits and number rows the same way (as the
spreadsheet does: the header is row 1, blank rows keep their number).

Limits are checked *before* parsing. An XLSX file is a zip: the sizes its
directory declares for its members are read first (a 2.6 MB upload can unpack
to a gigabyte of XML), then the dimension its sheet declares, and only then
does openpyxl read it, row by row, stopping at the row cap. Python's zip reader
stops at the declared size, so a member that lies about it cannot unpack more.
A CSV file's size is checked before it is decoded and its rows counted as they
are read.

On export, a text cell that a spreadsheet program would take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
written with a leading apostrophe, in CSV and XLSX alike (OWASP's advice for
CSV injection); reading a sheet removes that apostrophe again, so an exported
sheet imports back unchanged. django-import-export's own
``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only drops a leading ``=``, which
changes the data and leaves ``+``, ``-`` and ``@`` live.

This module imports no model: settings name its format classes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    max_bytes: int  # the file as uploaded
    max_unpacked_bytes: int  # an XLSX's members once unzipped, all together
    max_rows: int  # rows of data, the header not counted
    max_columns: int


def limits() -> SheetLimits:
    """The limits in force; settings may lower or raise each one."""
    return SheetLimits(
        max_bytes=getattr(settings, "SHEET_MAX_BYTES", 10 * MB),
        max_unpacked_bytes=getattr(settings, "SHEET_MAX_UNPACKED_BYTES", 50 * MB),
        max_rows=getattr(settings, "SHEET_MAX_ROWS", 20_000),
        max_columns=getattr(settings, "SHEET_MAX_COLUMNS", 60),
    )


class SheetError(ValueError):
    """The sheet as a whole cannot be read (format, size, missing columns); the message is
    meant for the person who gave the sheet."""

    shown_to_user = True


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def check_size(size: int, name: str) -> None:
    """Refuse a file larger than the limit, before reading it."""
    limit = limits().max_bytes
    if size > limit:
        raise SheetError(
            _("%(name)s is %(size)s MB: sheets are limited to %(limit)s MB. Split it.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)}
        )


def _too_many_rows(name: str, limit: int) -> SheetError:
    return SheetError(
        _("%(name)s has more than %(limit)s rows: sheets are limited to %(limit)s. Split it.")
        % {"name": name, "limit": limit}
    )


def _too_many_columns(name: str, count: int, limit: int) -> SheetError:
    return SheetError(
        _("%(name)s has %(count)s columns: sheets are limited to %(limit)s.")
        % {"name": name, "count": count, "limit": limit}
    )


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
MAX_MEMBERS = 1000


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_xlsx_package(data: bytes, name: str) -> None:
    """Refuse an XLSX file whose zip directory or sheet dimension is over the limits, having
    decompressed at most the first 64 KB of each sheet."""
    check_size(len(data), name)
    cap = limits()
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise SheetError(
            _("%(name)s is not a readable XLSX file: %(error)s") % {"name": name, "error": error}
        ) from None
    with package:
        members = package.infolist()
        if len(members) > MAX_MEMBERS:
            raise SheetError(
                _("%(name)s holds %(count)s files: an XLSX sheet holds far fewer.")
                % {"name": name, "count": len(members)}
            )
        unpacked = sum(member.file_size for member in members)
        if unpacked > cap.max_unpacked_bytes:
            raise SheetError(
                _(
                    "%(name)s unpacks to %(size)s MB: sheets are limited to %(limit)s MB "
                    "unpacked. Split it, or save it as CSV."
                )
                % {
                    "name": name,
                    "size": _megabytes(unpacked),
                    "limit": _megabytes(cap.max_unpacked_bytes),
                }
            )
        for member in members:
            if not _WORKSHEET.match(member.filename):
                continue
            try:
                with package.open(member) as stream:
                    head = stream.read(64 * 1024)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as error:
                raise SheetError(
                    _("%(name)s is not a readable XLSX file: %(error)s")
                    % {"name": name, "error": error}
                ) from None
            found = _DIMENSION.search(head)
            if not found:
                continue
            last_column = (found.group(3) or found.group(1)).decode()
            last_row = int(found.group(4) or found.group(2))
            if last_row - 1 > cap.max_rows:
                raise _too_many_rows(name, cap.max_rows)
            if _column_number(last_column) > cap.max_columns:
                raise _too_many_columns(name, _column_number(last_column), cap.max_columns)


# ----------------------------------------------------------------------------- formulas

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made plain text with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """The text :func:`escape_formula` wrote, as it was."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def escaped(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` in which no cell is a formula."""
    copy = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([escape_formula(value) for value in row])
    return copy


# ----------------------------------------------------------------------------- reading


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def collect(rows: Iterable[Sequence[Any]], name: str) -> tablib.Dataset:
    """A dataset of the header and the rows, within the row and column caps. Blank rows are
    left out, and ``dataset.sheet_rows`` keeps each data row's number in the sheet."""
    cap = limits()
    rows = iter(rows)
    header = list(next(rows, None) or [])
    while header and _is_blank(header[-1]):
        header.pop()
    if len(header) > cap.max_columns:
        raise _too_many_columns(name, len(header), cap.max_columns)
    if not header:
        raise SheetError(_("%(name)s is empty: its first row names the columns.") % {"name": name})
    headers = ["" if h is None else str(h).strip() for h in header]
    dataset = tablib.Dataset(headers=headers)
    sheet_rows: list[int] = []
    for number, row in enumerate(rows, start=2):
        if number - 1 > cap.max_rows:
            raise _too_many_rows(name, cap.max_rows)
        cells = [unescape_formula(value) for value in row]
        while cells and _is_blank(cells[-1]):
            cells.pop()
        if not cells:
            continue
        if len(cells) > len(headers):
            if len(cells) > cap.max_columns:
                raise _too_many_columns(name, len(cells), cap.max_columns)
            raise SheetError(
                _(
                    "%(name)s, row %(row)s: %(count)s cells, but the first row names only "
                    "%(columns)s columns."
                )
                % {"name": name, "row": number, "count": len(cells), "columns": len(headers)}
            )
        cells += [""] * (len(headers) - len(cells))
        dataset.append(["" if value is None else value for value in cells])
        sheet_rows.append(number)
    dataset.sheet_rows = sheet_rows
    return dataset


def read_csv_text(text: str, name: str) -> tablib.Dataset:
    check_size(len(text.encode("utf-8")), name)
    try:
        return collect(csv.reader(io.StringIO(text.lstrip("\ufeff"))), name)
    except csv.Error as error:
        raise SheetError(
            _("%(name)s is not a readable CSV file: %(error)s") % {"name": name, "error": error}
        ) from None


def read_csv_bytes(data: bytes, name: str) -> tablib.Dataset:
    check_size(len(data), name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(
            _("%(name)s is not UTF-8 text: save it as “CSV UTF-8”.") % {"name": name}
        ) from None
    return read_csv_text(text, name)


def read_xlsx_bytes(data: bytes, name: str) -> tablib.Dataset:
    check_xlsx_package(data, name)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds
        raise SheetError(
            _("%(name)s is not a readable XLSX file: %(error)s") % {"name": name, "error": error}
        ) from None
    try:
        sheet = book.active
        # read every row, not only those the declared dimension admits: a wrong dimension
        # would otherwise drop rows unseen (the row cap still holds, counted as read)
        sheet.reset_dimensions()
        return collect(sheet.iter_rows(values_only=True), name)
    except SheetError:
        raise
    except Exception as error:
        raise SheetError(
            _("%(name)s is not a readable XLSX file: %(error)s") % {"name": name, "error": error}
        ) from None
    finally:
        book.close()


# ----------------------------------------------------------------------------- back office


class SheetCSV(CSV):
    """CSV for the back office's Import and Export, with the limits and the escaping above."""

    @classmethod
    def check_upload(cls, upload) -> None:
        check_size(upload.size, upload.name)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            return read_csv_bytes(in_stream, _("the file"))
        return read_csv_text(in_stream, _("the file"))

    def export_data(self, dataset, **kwargs):
        return super().export_data(escaped(dataset), **kwargs)


class SheetXLSX(XLSX):
    """XLSX for the back office's Import and Export, with the limits and the escaping above."""

    @classmethod
    def check_upload(cls, upload) -> None:
        check_size(upload.size, upload.name)

    def create_dataset(self, in_stream, **kwargs):
        return read_xlsx_bytes(in_stream, _("the file"))

    def export_data(self, dataset, **kwargs):
        return super().export_data(escaped(dataset), **kwargs)
