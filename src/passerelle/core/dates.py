"""Dates known to a year, a month or a day.

The seed says "since 2011", "in 2013": a fact known to the year must be stored
as a year, not as 1 January. Dates are kept as ISO 8601 strings of reduced
precision (EDTF level 0): ``2011``, ``2011-05`` or ``2011-05-03``. Such strings
sort in time order, so the database can order and filter them as text, and the
precision is the string's length.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"“{text}” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"“{text}” has no month {month}")
        if day is not None:
            try:
                dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"“{text}” is not a day of the calendar") from None
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    __str__ = isoformat

    def display(self) -> str:
        """The date as a reader of the active language expects it, at its precision."""
        if self.precision is Precision.YEAR:
            return str(self.year)
        if self.precision is Precision.MONTH:
            return date_format(self.first_day, "YEAR_MONTH_FORMAT")
        return date_format(self.first_day, "DATE_FORMAT")


def validate_partial_date(value: str) -> None:
    try:
        PartialDate.parse(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_date") from None


def check_interval(start: str, end: str) -> str | None:
    """Return why ``start``–``end`` is not an interval, or None when it is.

    An end known only to the year ends on 31 December: "2011-05 to 2011" is fine.
    """
    if not start or not end:
        return None
    try:
        first, last = PartialDate.parse(start), PartialDate.parse(end)
    except ValueError:
        return None  # each field's own validator reports a malformed date
    if last.last_day < first.first_day:
        return str(_("ends (%(end)s) before it starts (%(start)s)") % {"end": end, "start": start})
    return None


def display_interval(start: str, end: str) -> str:
    """ "2011", "2011–2013", "since 2011", "until 2013" in the active language."""
    if start and end:
        first, last = PartialDate.parse(start).display(), PartialDate.parse(end).display()
        return first if first == last else f"{first}–{last}"
    if start:
        return str(_("since %(start)s") % {"start": PartialDate.parse(start).display()})
    if end:
        return str(_("until %(end)s") % {"end": PartialDate.parse(end).display()})
    return ""
