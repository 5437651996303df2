"""What a spreadsheet row may do to a record, for every resource of ``sheets``.

The rules that keep a sheet from damaging good records:

- **An empty cell changes nothing.** A column left empty on a row that updates a
  record keeps the record's value (a sheet with only ``id`` and ``status``
  changes only the status). To empty a field, write a single dash ``-`` in
  its cell (``CLEAR``).
- **Two rows cannot update one record**: the second is refused, naming the first.
- **Row numbers are the spreadsheet's**: the header is row 1, blank rows keep
  their number, in the back office's preview and in ``import-sheet`` alike.
- **A refused choice lists the allowed values.**
- **The preview shows every column the import writes**, the ones that are not
  plain fields (city, country, identifiers, topics) included.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.resources import Diff
from import_export.results import Result

from passerelle.core.identifiers import normalize_identifier
from passerelle.registry.models import Identifier, Place, Topic

from .permissions import RowsForTheUser

#: The cell that empties a field (an empty cell keeps the field as it is).
CLEAR = "-"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_clear(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in (CLEAR, "—", "–")


def cell(row, column: str) -> str:
    """A cell as text, stripped; '' when the column is absent or the cell empty."""
    value = row.get(column)
    return "" if value is None else str(value).strip()


class SheetResult(Result):
    """A result whose rows are numbered as in the spreadsheet."""

    sheet_rows: list[int] | None = None

    def sheet_row(self, number: int) -> int:
        """The spreadsheet's number of the ``number``-th data row (counted from 1)."""
        if self.sheet_rows and 0 < number <= len(self.sheet_rows):
            return self.sheet_rows[number - 1]
        return number + 1

    def row_errors(self):
        return [
            (self.sheet_row(i + 1), row.errors) for i, row in enumerate(self.rows) if row.errors
        ]


class SheetDiff(Diff):
    """The preview's values as the export writes them, so that city, country, ROR, website,
    ORCID and topics show too (django-import-export reads only plain attributes)."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self.values(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self.values(resource, instance)

    @staticmethod
    def values(resource, instance) -> list:
        if instance is None:
            return ["" for _ in resource.get_import_fields()]
        values = []
        for field in resource.get_import_fields():
            try:
                values.append(resource.export_field(field, instance))
            except ValueError:  # a many-to-many of a record not saved yet
                values.append("")
        return values


def _choices(instance, name: str) -> list | None:
    try:
        return instance._meta.get_field(name).choices
    except Exception:  # a column that is not a model field
        return None


def _allowed_values(instance, error: ValidationError) -> ValidationError:
    """The same errors, those on a choice saying which values are allowed."""
    result: dict[str, list] = {}
    for name, errors in error.error_dict.items():
        result[name] = []
        for item in errors:
            choices = _choices(instance, name) if item.code == "invalid_choice" else None
            if choices:
                allowed = ", ".join(str(value) for value, _label in choices)
                value = (item.params or {}).get("value", "")
                item = ValidationError(
                    _("“%(value)s” is not allowed here; use one of: %(allowed)s.")
                    % {"value": value, "allowed": allowed},
                    code="invalid_choice",
                )
            result[name].append(item)
    return ValidationError(result)


class YesNoWidget(widgets.BooleanWidget):
    """Yes or no, in the words a sheet uses (1/0, true/false, yes/no, oui/non, vrai/faux, x
    for yes); anything else is refused, where django-import-export would read it as no."""

    YES = {"1", "true", "yes", "y", "oui", "o", "vrai", "x"}
    NO = {"0", "false", "no", "n", "non", "faux"}

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return value  # an XLSX cell holds a boolean already
        text = str(value).strip().lower()
        if text in {"", "null", "none"}:
            return None
        if text in self.YES or text in self.NO:
            return text in self.YES
        raise ValueError(
            _("“%(value)s” is neither yes nor no: write 1 or 0 (yes or no, oui or non)")
            % {"value": str(value).strip()[:50]}
        )


class SheetRules(RowsForTheUser, resources.ModelResource):
    """The rules of this module's docstring, shared by every sheet's resource."""

    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "BooleanField": YesNoWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sheet_rows: list[int] | None = None
        self._row = 0
        self._claimed: dict[int, int] = {}  # record's primary key -> sheet row updating it
        self._user = None
        # who exports (the back office passes ``reader``; the operators' CLI, none: all)
        self._reader = kwargs.get("reader")
        self._readable: dict[type, set[int]] = {}

    def reads(self, related) -> bool:
        """Whether the exporting user reads this related record (a city, a topic): a row of
        a record it reads must not name a related one it may not read."""
        if related is None:
            return False
        if self._reader is None:
            return True
        model = type(related)
        if model not in self._readable:  # once per export: a set of ids, not a query a row
            readable = model.objects.restrict(self._reader, "view").values_list("pk", flat=True)
            self._readable[model] = set(readable)
        return related.pk in self._readable[model]

    @classmethod
    def get_result_class(cls):
        return SheetResult

    @classmethod
    def get_diff_class(cls):
        return SheetDiff

    def import_data(self, dataset, *args, **kwargs):
        self._sheet_rows = getattr(dataset, "sheet_rows", None)
        self._claimed = {}
        # the back office's user (None from the command line, run by the operators)
        self._user = kwargs.get("user")
        result = super().import_data(dataset, *args, **kwargs)
        result.sheet_rows = self._sheet_rows
        for invalid in result.invalid_rows:
            invalid.number = result.sheet_row(invalid.number)
        for error_row in result.error_rows:
            error_row.number = result.sheet_row(error_row.number)
        return result

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number") or 0
        rows = self._sheet_rows
        self._row = rows[number - 1] if rows and 0 < number <= len(rows) else number + 1
        super().before_import_row(row, **kwargs)

    def claim(self, instance) -> None:
        """Refuse a second row that updates the record a previous row updates."""
        if instance is None or instance.pk is None:
            return
        first = self._claimed.setdefault(instance.pk, self._row)
        if first != self._row:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "row %(first)s already updates «%(record)s»: two rows cannot update "
                        "one record. Merge them into one row."
                    )
                    % {"first": first, "record": instance}
                },
            )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        if is_clear(value):
            row = {**row, field.column_name: ""}
        elif is_blank(value) and instance.pk is not None:
            return  # an empty cell keeps what the record says
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        self.claim(instance)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            raise self._by_column(error) from None

    def _by_column(self, error: ValidationError) -> ValidationError:
        """Errors keyed by the sheet's column names rather than the model's attributes."""
        columns = {f.attribute: f.column_name for f in self.get_import_fields() if f.attribute}
        return ValidationError(
            {columns.get(name, name): errors for name, errors in error.error_dict.items()}
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged, as the rules read the row: empty cells of a record change nothing."""
        effective = {k: v for k, v in row.items() if instance.pk is None or not is_blank(v)}
        effective = {k: ("" if is_clear(v) else v) for k, v in effective.items()}
        if not super().skip_row(instance, original, effective, import_validation_errors):
            return False
        return not self.other_columns_change(instance, row)

    def other_columns_change(self, instance, row) -> bool:
        """Whether the columns that are not plain fields (city, identifiers) change anything."""
        return False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise _allowed_values(instance, error) from None


#: A name that resembles a record's this much (out of 100) holds its row back as "matches X?".
LIKELY_SCORE = 80.0
#: The ``id`` cell that asks for a new record even though the name resembles one.
NEW = "new"


def _unknown_country(country: str) -> str:
    return _("unknown country “%(country)s”: use an ISO 3166 code such as FR, DE or IL") % {
        "country": country
    }


def place_for(city: str, country: str, *, create: bool = True) -> Place | None:
    """The place a row's city and country columns name, created when new (unless not
    ``create``: then a place not known yet is an unsaved one)."""
    city, country = (city or "").strip(), (country or "").strip().upper()
    if not city and not country:
        return None
    if country not in countries:
        raise ValidationError({"country": _unknown_country(country)})
    place = (
        Place.objects.filter(name_en__iexact=city, country=country).first()
        if city
        else (Place.objects.filter(name_en="", region="", country=country).first())
    )
    if place is None:
        place = Place(name_en=city, country=country, visibility="public")
        if create:
            place.full_clean()
            place.save()
    return place


class SlugListWidget(widgets.ManyToManyWidget):
    """Topics as their short names, separated by commas; unknown ones are refused, and so
    are those the importing user may not read, in the same words (an import must not tell
    whether a confidential topic of that name exists)."""

    def __init__(self):
        super().__init__(Topic, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        user, topics = kwargs.get("user"), Topic.objects.filter(slug__in=slugs)
        if user is not None:
            topics = topics.restrict(user, "view")
        found = {t.slug: t for t in topics}
        unknown = [s for s in slugs if s not in found]
        if unknown:
            raise ValueError(_("unknown topics: %(topics)s") % {"topics": ", ".join(unknown)})
        return [found[s] for s in slugs]


class UUIDWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text or text.lower() == NEW:
            return None
        try:
            return uuid.UUID(text)
        except ValueError:
            raise ValueError(
                _("“%(text)s” is not an id (a UUID), nor “new”") % {"text": text}
            ) from None


class ValidatedRows:
    """Options every resource shares: each row validated like a form, unchanged rows
    skipped and reported, one transaction."""

    clean_model_instances = True
    skip_unchanged = True
    report_skipped = True
    use_transactions = True


def holds_back(row_name: str, record, score: float) -> ValidationError:
    """The row held back: its name only resembles a record's (an uncertain match)."""
    return ValidationError(
        {
            "name": _(
                "“%(name)s” matches «%(record)s»? It is not that record’s name, only like it "
                "(score %(score)s/100). To update it, put its id %(id)s in the id column; to add "
                "a new record all the same, write “new” there."
            )
            % {"name": row_name, "record": record, "score": f"{score:.0f}", "id": record.uid}
        }
    )


def several(row_name: str, count: int) -> ValidationError:
    return ValidationError(
        {
            "name": _(
                "%(count)s records are named “%(name)s”: put the id of the one to update in "
                "the id column, or “new”."
            )
            % {"count": count, "name": row_name}
        }
    )


class RecordResource(SheetRules):
    """Rows are identified by the stable id; every row is validated like a form."""

    id = fields.Field(attribute="uid", column_name="id", widget=UUIDWidget())

    class Meta(ValidatedRows):
        abstract = True
        import_id_fields = ["id"]

    def records(self) -> QuerySet:
        """The records a row may name (by id, identifier or exact name) or be told it
        resembles: those the importing user reads, so that a row never learns the name
        or id of a record its user may not read."""
        records = self._meta.model.objects.all()
        return records if self._user is None else records.restrict(self._user, "view")

    def get_instance(self, instance_loader, row):
        try:
            uid = UUIDWidget().clean(row.get("id"))
        except ValueError:
            return None  # reported when the field is imported
        return self._meta.model.objects.filter(uid=uid).first() if uid else None

    def asks_for_new(self, row) -> bool:
        return cell(row, "id").lower() == NEW

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
                    field.widget.clean(row[field.column_name], user=self._user)
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        errors.update(self.row_problems(row))
        if errors:
            raise ValidationError(errors)

    def row_problems(self, row) -> dict[str, list[str]]:
        """Problems of columns that are not model fields (identifiers, country)."""
        problems = {}
        country = cell(row, "country").upper()
        if country and not is_clear(country) and country not in countries:
            problems["country"] = [_unknown_country(country)]
        return problems

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "uid" and (not cell(row, "id") or self.asks_for_new(row)):
            return  # a new record gets a fresh id
        super().import_field(field, instance, row, is_m2m, **kwargs)

    # -- the city and country columns

    def _place_cells(self, instance, row) -> tuple[str, str]:
        """The city and country the row means: an empty cell keeps the record's."""
        place = instance.place
        city = cell(row, "city") or (place.name_en if place else "")
        country = cell(row, "country") or (place.country.code if place else "")
        return city, country

    def _place_of(self, instance, row, *, create: bool) -> Place | None:
        """The place the row means; the record's own when the row names it again (a place
        known by its region exports as its country alone)."""
        place = instance.place
        city, country = self._place_cells(instance, row)
        if place is not None and (city.lower(), country.upper()) == (
            place.name_en.lower(),
            place.country.code,
        ):
            return place
        return place_for(city, country, create=create)

    def set_place(self, instance, row) -> None:
        if is_clear(cell(row, "city")) or is_clear(cell(row, "country")):
            instance.place = None
        elif cell(row, "city") or cell(row, "country"):
            instance.place = self._place_of(instance, row, create=True)

    def place_changes(self, instance, row) -> bool:
        if is_clear(cell(row, "city")) or is_clear(cell(row, "country")):
            return instance.place_id is not None
        if not cell(row, "city") and not cell(row, "country"):
            return False
        try:
            target = self._place_of(instance, row, create=False)
        except ValidationError:
            return True
        return target is None or target.pk is None or target.pk != instance.place_id

    # -- identifier columns

    def identifier_changes(self, instance, row, scheme: str) -> bool:
        value = cell(row, scheme)
        current = next((i.value for i in instance.identifiers.all() if i.scheme == scheme), "")
        if is_clear(value):
            return bool(current)
        if not value:
            return False
        try:
            return normalize_identifier(scheme, value) != current
        except ValueError:
            return True

    def set_identifier(self, instance, row, scheme: str, holder: str) -> None:
        """The row's identifier of ``scheme`` on the record: added, changed, or removed by
        ``-``; one already held by this record is left as it is."""
        value = cell(row, scheme)
        if not value:
            return
        current = instance.identifiers.filter(scheme=scheme).first()
        if is_clear(value):
            if current is not None:
                current.delete()
            return
        identifier = current or Identifier(**{holder: instance}, scheme=scheme)
        identifier.value = value
        try:
            identifier.full_clean()
        except ValidationError as error:
            codes = {e.code for errors in error.error_dict.values() for e in errors}
            if "duplicate_identifier" in codes:
                held = Identifier.objects.filter(scheme=scheme, value=identifier.value).first()
                if held and getattr(held, f"{holder}_id") == instance.pk:
                    return
            raise ValidationError({scheme: error.messages}) from None
        if current is None or current.value != identifier.value or identifier.pk is None:
            identifier.save()

    def identifier_problem(self, row, scheme: str) -> dict[str, list[str]]:
        value = cell(row, scheme)
        if value and not is_clear(value):
            try:
                normalize_identifier(scheme, value)
            except ValueError as error:
                return {scheme: [str(error)]}
        return {}
