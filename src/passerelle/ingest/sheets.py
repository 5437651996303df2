"""Spreadsheets in and out: organizations, people, activities and participations.

Users keep their partners in spreadsheets; these resources (django-import-export)
read CSV and XLSX with the same columns that the export writes, so a sheet can
be exported, edited and imported back. Rows are validated like any other edit
(``full_clean``), a dry run reports every refused row with its row number,
column, value and reason, and a confirmed import is one transaction.
Organizations without an id are looked up first (a ROR id, then a confident
name match) so that a sheet does not silently duplicate the registry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django_countries import countries
from import_export import fields, resources, widgets

from passerelle.activities.models import Activity, Participation
from passerelle.core.identifiers import normalize_identifier
from passerelle.registry.models import Identifier, Organization, Person, Place, Topic

from .permissions import RowsForTheUser
from .resolution import Resolver, resolver_from_database

#: A name match must be at least this good, and this far ahead of the next, to be trusted.
CONFIDENT_SCORE = 95.0
CONFIDENT_MARGIN = 5.0


def place_for(city: str, country: str) -> Place | None:
    """The place a row's city and country columns name, created when new."""
    city, country = (city or "").strip(), (country or "").strip().upper()
    if not city and not country:
        return None
    if country not in countries:
        raise ValidationError({"country": f"unknown country “{country}”: use an ISO 3166 code"})
    place = (
        Place.objects.filter(name_en__iexact=city, country=country).first()
        if city
        else (Place.objects.filter(name_en="", region="", country=country).first())
    )
    if place is None:
        place = Place(name_en=city, country=country, visibility="public")
        place.full_clean()
        place.save()
    return place


class SlugListWidget(widgets.ManyToManyWidget):
    """Topics as their short names, separated by commas; unknown ones are refused."""

    def __init__(self):
        super().__init__(Topic, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        found = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
        unknown = [s for s in slugs if s not in found]
        if unknown:
            raise ValueError(f"unknown topics: {', '.join(unknown)}")
        return [found[s] for s in slugs]


class UUIDWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return uuid.UUID(text)
        except ValueError:
            raise ValueError(f"“{text}” is not an id (a UUID)") from None


class ValidatedRows:
    """Options every resource shares: each row validated like a form, unchanged rows
    skipped and reported, one transaction."""

    clean_model_instances = True
    skip_unchanged = True
    report_skipped = True
    use_transactions = True


class RecordResource(RowsForTheUser, resources.ModelResource):
    """Rows are identified by the stable id; every row is validated like a form."""

    id = fields.Field(attribute="uid", column_name="id", widget=UUIDWidget())

    class Meta(ValidatedRows):
        abstract = True
        import_id_fields = ["id"]

    def get_instance(self, instance_loader, row):
        try:
            uid = UUIDWidget().clean(row.get("id"))
        except ValueError:
            return None  # reported when the field is imported
        return self._meta.model.objects.filter(uid=uid).first() if uid else None

    def import_instance(self, instance, row, **kwargs):
        """Field errors, plus those of many-to-many columns, which Django would only meet
        when saving: all of a row's problems are reported together."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, SlugListWidget) and field.column_name in row:
                try:
                    field.widget.clean(row[field.column_name])
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        errors.update(self.row_problems(row))
        if errors:
            raise ValidationError(errors)

    def row_problems(self, row) -> dict[str, list[str]]:
        """Problems of columns that are not model fields (identifiers, country)."""
        return {}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "uid" and not (row.get("id") or "").strip():
            return  # a new record gets a fresh id
        super().import_field(field, instance, row, is_m2m, **kwargs)


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
        return next((i.value for i in obj.identifiers.all() if i.scheme == scheme), "")

    def dehydrate_city(self, obj):
        return obj.place.name_en if obj.place else ""

    def dehydrate_country(self, obj):
        return obj.place.country.code if obj.place else ""

    def dehydrate_ror(self, obj):
        return self._identifier(obj, "ror")

    def dehydrate_website(self, obj):
        return self._identifier(obj, "website")

    def get_instance(self, instance_loader, row):
        found = super().get_instance(instance_loader, row)
        if found is not None or (row.get("id") or "").strip():
            return found
        ror = (row.get("ror") or "").strip()
        if ror:
            try:
                ror = normalize_identifier("ror", ror)
            except ValueError:
                return None  # reported by the validation of the row
            holder = Identifier.objects.filter(scheme="ror", value=ror).first()
            if holder and holder.organization_id:
                return holder.organization
        return self.resolve(row)

    def resolve(self, row) -> Organization | None:
        """A confident match of the row's name, city and country, or None."""
        name = (row.get("name") or "").strip()
        if not name:
            return None
        if self._resolver is None:
            self._resolver = resolver_from_database()
        candidates = self._resolver.resolve(
            name, city=row.get("city") or "", country=row.get("country") or "", limit=2
        )
        if not candidates or candidates[0].score < CONFIDENT_SCORE:
            return None
        if len(candidates) > 1 and candidates[0].score - candidates[1].score < CONFIDENT_MARGIN:
            return None
        return Organization.objects.filter(uid=candidates[0].key).first()

    def before_save_instance(self, instance, row, **kwargs):
        instance.place = place_for(row.get("city"), row.get("country")) or instance.place
        if not (row.get("visibility") or "").strip() and instance._state.adding:
            instance.visibility = "internal"

    def after_save_instance(self, instance, row, **kwargs):
        for scheme in ("ror", "website"):
            value = (row.get(scheme) or "").strip()
            if not value:
                continue
            identifier = Identifier(organization=instance, scheme=scheme, value=value)
            try:
                identifier.full_clean()
            except ValidationError as error:
                if any("already the identifier of" in m for m in error.messages):
                    held = Identifier.objects.filter(scheme=scheme, value=identifier.value).first()
                    if held and held.organization_id == instance.pk:
                        continue
                raise ValidationError({scheme: error.messages}) from None
            identifier.save()

    def row_problems(self, row) -> dict[str, list[str]]:
        problems = {}
        for scheme in ("ror", "website"):
            value = (row.get(scheme) or "").strip()
            if value:
                try:
                    normalize_identifier(scheme, value)
                except ValueError as error:
                    problems[scheme] = [str(error)]
        country = (row.get("country") or "").strip().upper()
        if country and country not in countries:
            problems["country"] = [f"unknown country “{country}”: use an ISO 3166 code"]
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
        return obj.place.name_en if obj.place else ""

    def dehydrate_country(self, obj):
        return obj.place.country.code if obj.place else ""

    def dehydrate_orcid(self, obj):
        return next((i.value for i in obj.identifiers.all() if i.scheme == "orcid"), "")

    def dehydrate_topics(self, obj):
        return ",".join(t.slug for t in obj.topics.all())

    def before_save_instance(self, instance, row, **kwargs):
        instance.place = place_for(row.get("city"), row.get("country")) or instance.place

    def after_save_instance(self, instance, row, **kwargs):
        value = (row.get("orcid") or "").strip()
        if value and not instance.identifiers.filter(scheme="orcid").exists():
            identifier = Identifier(person=instance, scheme="orcid", value=value)
            identifier.full_clean()
            identifier.save()

    def row_problems(self, row) -> dict[str, list[str]]:
        value = (row.get("orcid") or "").strip()
        if value:
            try:
                normalize_identifier("orcid", value)
            except ValueError as error:
                return {"orcid": [str(error)]}
        country = (row.get("country") or "").strip().upper()
        if country and country not in countries:
            return {"country": [f"unknown country “{country}”: use an ISO 3166 code"]}
        return {}


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
        return ",".join(t.slug for t in obj.topics.all())


class ParticipationResource(RowsForTheUser, resources.ModelResource):
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
        return obj.activity.title_en

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
        value = f" (value “{self.value}”)" if self.value else ""
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


class SheetError(Exception):
    """The sheet as a whole cannot be read (format, missing columns)."""


def read_sheet(path: str | Path) -> tablib.Dataset:
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise SheetError(f"{path.name}: use a .csv or .xlsx file")
    try:
        if suffix == "csv":
            return tablib.Dataset().load(path.read_text(encoding="utf-8-sig"), format="csv")
        return tablib.Dataset().load(path.read_bytes(), format="xlsx")
    except OSError as error:
        raise SheetError(f"cannot read {path}: {error.strerror}") from None
    except Exception as error:  # tablib and openpyxl raise many kinds
        raise SheetError(f"{path.name} is not a readable {suffix.upper()} file: {error}") from None


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
    for invalid in result.invalid_rows:
        data = dict(zip(headers, dataset[invalid.number - 1], strict=False))
        for column, messages in invalid.error_dict.items():
            column = "" if column == "__all__" else column
            value = data.get(column, data.get(f"{column}_id", ""))
            for message in messages:
                report.problems.append(
                    RowProblem(invalid.number + 1, column, str(value or ""), str(message))
                )
    for number, errors in result.row_errors():
        data = dict(zip(headers, dataset[number - 1], strict=False))
        for error in errors:
            column, reason = _column_of(error.error, headers)
            report.problems.append(
                RowProblem(number + 1, column, str(data.get(column, "") or ""), reason)
            )
    report.problems.sort(key=lambda p: p.row)
    return report


def _column_of(error: Exception, headers: list[str]) -> tuple[str, str]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        column, messages = next(iter(error.message_dict.items()))
        return ("" if column == "__all__" else column), " ".join(messages)
    text = str(error)
    match = next((h for h in headers if f"Column '{h}'" in text or text.startswith(f"{h}:")), "")
    return match, text


def export_sheet(kind: str, path: str | Path) -> int:
    """Write every record of a kind to a .csv or .xlsx file; returns the number of rows."""
    if kind not in RESOURCES:
        raise SheetError(f"unknown sheet type {kind!r}: use {', '.join(RESOURCES)}")
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise SheetError(f"{path.name}: use a .csv or .xlsx file")
    dataset = RESOURCES[kind]().export()
    data = dataset.export(suffix)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return len(dataset)
