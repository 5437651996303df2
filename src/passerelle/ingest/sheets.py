"""Spreadsheets in and out: organizations, people, activities and participations.

Users keep their partners in spreadsheets; these resources (django-import-export)
read CSV and XLSX with the same columns that the export writes, so a sheet can
be exported, edited and imported back. Rows are validated like any other edit
(``full_clean``), a dry run reports every refused row with its row number,
column, value and reason, and a confirmed import is one transaction. Files are
read within limits, and written without live formulas (``sheet_files``); what
a row may change is ruled by ``sheet_rules`` (an empty cell changes nothing,
``-`` empties a field, one row per record).

A row updates a record only when it names it for certain: by its ``id``, by an
identifier (a ROR id for an organization, an ORCID for a person), or by its
exact name. A name that only resembles a record's ("institut curie", "DKFZ")
holds the row back with the question "matches X?": the sheet then gives X's
id to update it, or ``new`` in the ``id`` column to add a record all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from passerelle.activities.models import Activity, Participation
from passerelle.core.identifiers import normalize_identifier
from passerelle.registry.models import Identifier, Organization, Person

from .resolution import Resolver, resolver_from_database
from .sheet_files import SheetError, escaped, read_csv_bytes, read_xlsx_bytes
from .sheet_rules import (
    LIKELY_SCORE,
    RecordResource,
    SheetRules,
    SlugListWidget,
    ValidatedRows,
    cell,
    holds_back,
    is_clear,
    place_for,
    several,
)

__all__ = [
    "RESOURCES",
    "SheetError",
    "export_sheet",
    "import_sheet",
    "place_for",
    "read_sheet",
]


class OrganizationResource(RecordResource):
    city = fields.Field(column_name="city", readonly=True)
    country = fields.Field(column_name="country", readonly=True)
    ror = fields.Field(column_name="ror", readonly=True)
    website = fields.Field(column_name="website", readonly=True)

    class Meta(RecordResource.Meta):
        model = Organization
        fields = (
            "id",
            "name",
            "name_en",
            "name_fr",
            "acronym",
            "kind",
            "status",
            "in_region",
            "city",
            "country",
            "ror",
            "website",
            "visibility",
        )
        export_order = fields

    def __init__(self, *args, resolver: Resolver | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._resolver = resolver

    def get_export_queryset(self, request=None):
        return Organization.objects.select_related("place").prefetch_related("identifiers")

    def _identifier(self, obj, scheme):
        if obj.pk is None:
            return ""
        return next((i.value for i in obj.identifiers.all() if i.scheme == scheme), "")

    def dehydrate_city(self, obj):
        return obj.place.name_en if self.reads(obj.place) else ""

    def dehydrate_country(self, obj):
        return obj.place.country.code if self.reads(obj.place) else ""

    def dehydrate_ror(self, obj):
        return self._identifier(obj, "ror")

    def dehydrate_website(self, obj):
        return self._identifier(obj, "website")

    def get_instance(self, instance_loader, row):
        found = super().get_instance(instance_loader, row)
        if found is not None or cell(row, "id"):
            return found
        ror = cell(row, "ror")
        if ror and not is_clear(ror):
            try:
                ror = normalize_identifier("ror", ror)
            except ValueError:
                return None  # reported by the validation of the row
            holder = Identifier.objects.filter(scheme="ror", value=ror).first()
            if holder and holder.organization_id:
                return self.records().filter(pk=holder.organization_id).first()
        return self.by_name(row)

    def by_name(self, row) -> Organization | None:
        """The record of exactly this name (in any of its languages), or None; a row whose
        name only resembles a record's is held back with the question "matches X?"."""
        name = cell(row, "name")
        if not name:
            return None
        exact = list(self.records().filter(Q(name=name) | Q(name_en=name) | Q(name_fr=name))[:3])
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise several(name, len(exact))
        if self._resolver is None:
            self._resolver = resolver_from_database()
        candidates = self._resolver.resolve(
            name, city=cell(row, "city"), country=cell(row, "country"), limit=1
        )
        if candidates and candidates[0].score >= LIKELY_SCORE:
            likely = self.records().filter(uid=candidates[0].key).first()
            if likely is not None:
                raise holds_back(name, likely, candidates[0].score)
        return None

    def before_save_instance(self, instance, row, **kwargs):
        self.set_place(instance, row)
        if not cell(row, "visibility") and instance._state.adding:
            instance.visibility = "internal"

    def after_save_instance(self, instance, row, **kwargs):
        for scheme in ("ror", "website"):
            self.set_identifier(instance, row, scheme, "organization")

    def other_columns_change(self, instance, row) -> bool:
        return self.place_changes(instance, row) or any(
            self.identifier_changes(instance, row, scheme) for scheme in ("ror", "website")
        )

    def row_problems(self, row) -> dict[str, list[str]]:
        problems = super().row_problems(row)
        for scheme in ("ror", "website"):
            problems.update(self.identifier_problem(row, scheme))
        return problems


class PersonResource(RecordResource):
    city = fields.Field(column_name="city", readonly=True)
    country = fields.Field(column_name="country", readonly=True)
    orcid = fields.Field(column_name="orcid", readonly=True)
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugListWidget())

    class Meta(RecordResource.Meta):
        model = Person
        fields = (
            "id",
            "title",
            "given_name",
            "family_name",
            "orcid",
            "city",
            "country",
            "topics",
            "visibility",
        )
        export_order = fields

    def get_export_queryset(self, request=None):
        return Person.objects.select_related("place").prefetch_related("identifiers", "topics")

    def dehydrate_city(self, obj):
        return obj.place.name_en if self.reads(obj.place) else ""

    def dehydrate_country(self, obj):
        return obj.place.country.code if self.reads(obj.place) else ""

    def dehydrate_orcid(self, obj):
        if obj.pk is None:
            return ""
        return next((i.value for i in obj.identifiers.all() if i.scheme == "orcid"), "")

    def dehydrate_topics(self, obj):
        if obj.pk is None:
            return ""
        return ",".join(t.slug for t in obj.topics.all() if self.reads(t))

    def get_instance(self, instance_loader, row):
        """By id, then by ORCID, then by exactly the same given and family names."""
        found = super().get_instance(instance_loader, row)
        if found is not None or cell(row, "id"):
            return found
        orcid = cell(row, "orcid")
        if orcid and not is_clear(orcid):
            try:
                orcid = normalize_identifier("orcid", orcid)
            except ValueError:
                return None  # reported by the validation of the row
            holder = Identifier.objects.filter(scheme="orcid", value=orcid).first()
            if holder and holder.person_id:
                return self.records().filter(pk=holder.person_id).first()
        family = cell(row, "family_name")
        if not family:
            return None
        exact = list(
            self.records().filter(family_name=family, given_name=cell(row, "given_name"))[:3]
        )
        if len(exact) > 1:
            raise several(f"{cell(row, 'given_name')} {family}".strip(), len(exact))
        return exact[0] if exact else None

    def before_save_instance(self, instance, row, **kwargs):
        self.set_place(instance, row)

    def after_save_instance(self, instance, row, **kwargs):
        self.set_identifier(instance, row, "orcid", "person")

    def other_columns_change(self, instance, row) -> bool:
        return self.place_changes(instance, row) or self.identifier_changes(instance, row, "orcid")

    def row_problems(self, row) -> dict[str, list[str]]:
        return {**super().row_problems(row), **self.identifier_problem(row, "orcid")}


class ActivityResource(RecordResource):
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugListWidget())

    class Meta(RecordResource.Meta):
        model = Activity
        fields = (
            "id",
            "kind",
            "category",
            "title_en",
            "title_fr",
            "acronym",
            "start",
            "end",
            "status",
            "signed_on",
            "summary_en",
            "summary_fr",
            "topics",
            "visibility",
        )
        export_order = fields

    def get_export_queryset(self, request=None):
        return Activity.objects.prefetch_related("topics")

    def dehydrate_topics(self, obj):
        if obj.pk is None:
            return ""
        return ",".join(t.slug for t in obj.topics.all() if self.reads(t))


class ParticipationResource(SheetRules):
    """One row per participation; the activity and the actor by their stable ids."""

    activity = fields.Field(
        attribute="activity",
        column_name="activity_id",
        widget=widgets.ForeignKeyWidget(Activity, field="uid"),
    )
    activity_title = fields.Field(column_name="activity_title", readonly=True)
    organization = fields.Field(
        attribute="organization",
        column_name="organization_id",
        widget=widgets.ForeignKeyWidget(Organization, field="uid"),
    )
    person = fields.Field(
        attribute="person",
        column_name="person_id",
        widget=widgets.ForeignKeyWidget(Person, field="uid"),
    )
    actor_name = fields.Field(column_name="actor_name", readonly=True)

    class Meta(ValidatedRows):
        model = Participation
        fields = (
            "id",
            "activity",
            "activity_title",
            "organization",
            "person",
            "actor_name",
            "role",
            "start",
            "end",
            "note",
            "visibility",
        )
        export_order = fields

    def get_export_queryset(self, request=None):
        return Participation.objects.select_related("activity", "organization", "person")

    def dehydrate_activity_title(self, obj):
        return obj.activity.title_en if obj.activity_id else ""

    def dehydrate_actor_name(self, obj):
        return str(obj.actor or "")


RESOURCES = {
    "organizations": OrganizationResource,
    "people": PersonResource,
    "activities": ActivityResource,
    "participations": ParticipationResource,
}
REQUIRED_COLUMNS = {
    "organizations": {"name"},
    "people": {"family_name"},
    "activities": {"kind", "title_en"},
    "participations": {"activity_id", "role"},
}


@dataclass
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        value = f" (value “{self.value[:80]}”)" if self.value else ""
        return f"{where}{value}: {self.reason}"


@dataclass
class SheetReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] | None = None
    written: bool = False

    def __str__(self) -> str:
        verb = "imported" if self.written else "would import"
        return (
            f"{verb}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.problems or [])} refused"
        )


def read_sheet(path: str | Path) -> tablib.Dataset:
    """A .csv or .xlsx file as a dataset, within the limits of ``sheet_files`` (checked
    before the file is parsed, and its size before it is read)."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise SheetError(_("%(name)s: use a .csv or .xlsx file") % {"name": path.name})
    try:
        from .sheet_files import check_size

        check_size(path.stat().st_size, path.name)
        data = path.read_bytes()
    except OSError as error:
        raise SheetError(
            _("cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    if suffix == "csv":
        return read_csv_bytes(data, path.name)
    return read_xlsx_bytes(data, path.name)


def import_sheet(dataset: tablib.Dataset, kind: str, *, confirm: bool) -> SheetReport:
    """Check a sheet (dry run) or, with ``confirm``, import it: all rows or none."""
    if kind not in RESOURCES:
        raise SheetError(f"unknown sheet type {kind!r}: use {', '.join(RESOURCES)}")
    headers = [h.strip() for h in dataset.headers or []]
    dataset.headers = headers
    missing = REQUIRED_COLUMNS[kind] - set(headers)
    if missing:
        raise SheetError(
            f"missing column{'s' if len(missing) > 1 else ''}: "
            f"{', '.join(sorted(missing))} (found: {', '.join(headers) or 'none'})"
        )
    resource = RESOURCES[kind]()
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=True, raise_errors=False, use_transactions=True
        )
        report = _report(result, headers, dataset)
        if confirm and not report.problems:
            result = RESOURCES[kind]().import_data(
                dataset, dry_run=False, raise_errors=True, use_transactions=True
            )
            report = _report(result, headers, dataset)
            report.written = True
    return report


def _report(result, headers: list[str], dataset: tablib.Dataset) -> SheetReport:
    totals = result.totals
    report = SheetReport(
        new=totals.get("new", 0),
        updated=totals.get("update", 0),
        unchanged=totals.get("skip", 0),
        problems=[],
    )
    numbers = getattr(dataset, "sheet_rows", None) or [i + 2 for i in range(len(dataset))]
    index_of = {number: index for index, number in enumerate(numbers)}

    def cells(number: int) -> dict:
        index = index_of.get(number)
        return {} if index is None else dict(zip(headers, dataset[index], strict=False))

    for invalid in result.invalid_rows:
        data = cells(invalid.number)
        for column, messages in invalid.error_dict.items():
            column = "" if column == "__all__" else column
            value = data.get(column, data.get(f"{column}_id", ""))
            for message in messages:
                report.problems.append(
                    RowProblem(invalid.number, column, str(value or ""), str(message))
                )
    for number, errors in result.row_errors():
        data = cells(number)
        for error in errors:
            column, reason = _column_of(error.error, headers)
            report.problems.append(
                RowProblem(number, column, str(data.get(column, "") or ""), reason)
            )
    report.problems.sort(key=lambda p: p.row)
    return report


def _column_of(error: Exception, headers: list[str]) -> tuple[str, str]:
    """The column an unexpected error is about, when it says so by its structure (never by
    the words of its message, which depend on the language)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        column, messages = next(iter(error.message_dict.items()))
        return ("" if column == "__all__" else column), " ".join(messages)
    return "", str(error)


def export_sheet(kind: str, path: str | Path) -> int:
    """Write every record of a kind to a .csv or .xlsx file; returns the number of rows.
    No cell is written as a live formula (see ``sheet_files``)."""
    if kind not in RESOURCES:
        raise SheetError(f"unknown sheet type {kind!r}: use {', '.join(RESOURCES)}")
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise SheetError(_("%(name)s: use a .csv or .xlsx file") % {"name": path.name})
    dataset = escaped(RESOURCES[kind]().export())
    data = dataset.export(suffix)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return len(dataset)
