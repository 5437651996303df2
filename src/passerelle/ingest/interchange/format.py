"""The interchange format as data: one table of sections that every reader and writer follows.

The exporter, the importer and the API (``passerelle.api``) read :data:`SECTIONS`
and :data:`PARTS`; none of them lists a record's fields again. A new kind of
record is one more :class:`Section` row (and its part rows), not new code in
each of them. ``docs/interchange.md`` describes the same table for people, and
``tests/test_representation.py`` checks that the three agree with the models.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from passerelle.activities.models import (
    Activity,
    ActivityLink,
    AgendaItem,
    Commitment,
    FollowUp,
    Participation,
)
from passerelle.core.models import Source
from passerelle.registry.models import (
    Affiliation,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Place,
    Topic,
)
from passerelle.registry.wording import GRAMMAR_FIELDS

FORMAT = "passerelle"
VERSION = 1
#: The keys a document may carry besides its sections (all but format and version informative).
HEADER = ("format", "version", "generator", "exported_at", "public_only")
#: Keys the API adds to a record and a write ignores (the version is checked by If-Match).
READ_ONLY = ("updated",)


@dataclass(frozen=True)
class Reference:
    """A key whose value is the id of another record (``many``: a list of ids)."""

    key: str
    model: type[models.Model]
    many: bool = False
    #: Resolved in a second pass, once every record of the section exists (parents).
    late: bool = False
    #: A row of a part means nothing without it (an affiliation's organization).
    required: bool = False


@dataclass(frozen=True)
class Part:
    """Rows that belong to a record and travel inside it (names, commitments, …).

    A record states its parts in full: importing it makes the database say the
    same. ``fields`` are the row's own values, ``references`` its ids of other
    records, ``keys`` any other key it takes (a participation's actor).
    """

    key: str
    model: type[models.Model]
    owner: str
    fields: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    keys: tuple[str, ...] = ()
    cited: bool = False
    #: Imported in the second pass (a link names activities of the same section).
    late: bool = False

    @property
    def allowed(self) -> tuple[str, ...]:
        refs = tuple(r.key for r in self.references)
        return (*self.keys, *self.fields, *refs, *(("sources",) if self.cited else ()))


@dataclass(frozen=True)
class Section:
    """One kind of record in the document: its list, and how a record of it is read."""

    key: str
    model: type[models.Model]
    fields: tuple[str, ...]
    #: The field that names a record in error messages ("organizations[3] «CLARA»").
    name_field: str
    references: tuple[Reference, ...] = ()
    parts: tuple[str, ...] = ()
    #: Keys of the record the export sorts on (collation-independent); None: by the database.
    sort: tuple[str, ...] | None = ()
    #: How a record unknown by id may be the same as one known (a ROR id, a GeoNames id).
    same_as: str = ""

    @property
    def allowed(self) -> tuple[str, ...]:
        refs = tuple(r.key for r in self.references)
        cited = ("sources",) if self.model is not Source else ()
        return ("id", *self.fields, *refs, *self.parts, *cited)

    @property
    def second_pass(self) -> bool:
        return any(r.late for r in self.references) or any(PARTS[p].late for p in self.parts)


RECORD = ("visibility", "draft")

PARTS: dict[str, Part] = {
    part.key: part
    for part in (
        Part("other_names", OrganizationName, "organization", ("value", "kind", "language")),
        Part("identifiers", Identifier, "", ("scheme", "value")),
        Part(
            "affiliations",
            Affiliation,
            "person",
            ("position", "start", "end"),
            (Reference("organization", Organization, required=True),),
        ),
        Part(
            "participations",
            Participation,
            "activity",
            ("role", "start", "end", "note", "signed_on", "visibility"),
            (Reference("place", Place), Reference("signed_by", Person)),
            keys=("actor_id", "actor_type", "actor_name"),
            cited=True,
        ),
        Part(
            "commitments",
            Commitment,
            "agreement",
            (
                "area",
                "text_en",
                "text_fr",
                "cadence",
                "alternate_countries",
                "exchange_categories",
                "count",
                "period",
                "measure",
                "direction",
                "position",
            ),
            keys=("id",),
        ),
        Part(
            "links",
            ActivityLink,
            "subject",
            ("relation",),
            (Reference("object", Activity, required=True), Reference("commitment", Commitment)),
            late=True,
        ),
        Part(
            "agenda",
            AgendaItem,
            "delegation",
            ("day", "time", "place", "meeting", "topic", "position"),
            keys=("id",),
        ),
        Part(
            "follow_ups",
            FollowUp,
            "delegation",
            ("action_en", "action_fr", "note", "due", "status", "closed_on"),
            (Reference("result", Activity),),
            keys=("id", "owner"),
            cited=True,
            late=True,  # it may name an activity of the same section
        ),
    )
}

SECTIONS: tuple[Section, ...] = (
    Section(
        "sources",
        Source,
        (
            "title",
            "url",
            "document",
            "publisher",
            "language",
            "published",
            "accessed",
            "note",
            *RECORD,
        ),
        "title",
        sort=("title",),
    ),
    Section(
        "places",
        Place,
        (
            "name_en",
            "name_fr",
            "region",
            "region_fr",
            "country",
            "latitude",
            "longitude",
            "geonames_id",
            *GRAMMAR_FIELDS,
            *RECORD,
        ),
        "name_en",
        sort=("country", "name_en", "region"),
        same_as="geonames_id",
    ),
    Section(
        "topics",
        Topic,
        ("slug", "name_en", "name_fr", "kind", "mesh_id", "ncit_id", *RECORD),
        "name_en",
        (Reference("parent", Topic, late=True),),
        sort=("name_en",),
    ),
    Section(
        "organizations",
        Organization,
        (
            "name",
            "name_en",
            "name_fr",
            "acronym",
            "acronym_fr",
            "description_en",
            "description_fr",
            "kind",
            "status",
            "in_region",
            *GRAMMAR_FIELDS,
            *RECORD,
        ),
        "name",
        (
            Reference("place", Place),
            Reference("parent", Organization, late=True),
            Reference("topics", Topic, many=True),
        ),
        ("other_names", "identifiers"),
        sort=("name",),
        same_as="identifiers",
    ),
    Section(
        "people",
        Person,
        ("title", "given_name", "family_name", *RECORD),
        "family_name",
        (Reference("place", Place), Reference("topics", Topic, many=True)),
        ("identifiers", "affiliations"),
        sort=("family_name", "given_name"),
        same_as="identifiers",
    ),
    Section(
        "activities",
        Activity,
        (
            "kind",
            "category",
            "title_en",
            "title_fr",
            "acronym",
            "summary_en",
            "summary_fr",
            "start",
            "end",
            "visibility",
            "draft",
            "objectives_en",
            "objectives_fr",
            "funding_amount",
            "funding_currency",
            "status",
            "signed_on",
            "open_ended",
            "notice_months",
            "renews_automatically",
            "edition",
            "venue",
            "alternating",
            "direction",
            "delegation_country",
            "purpose_en",
            "purpose_fr",
            "outcomes_en",
            "outcomes_fr",
            "exchange_category",
            "headcount",
            "exchange_status",
            "duration_months",
            "cadence",
            "rotation_countries",
        ),
        "title_en",
        (Reference("places", Place, many=True), Reference("topics", Topic, many=True)),
        ("participations", "commitments", "links", "agenda", "follow_ups"),
        sort=None,  # the large section: read in chunks, in the database's order
    ),
)
BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}
BY_MODEL: dict[type, Section] = {section.model: section for section in SECTIONS}
#: The identifier schemes that say two records are the same organization or person.
SAME_BY_IDENTIFIER = ("ror", "orcid", "wikidata", "isni", "grid")


# ----------------------------------------------------------------------------- errors

#: The longest value an error message repeats (a 10 MB name is not echoed back).
SHOWN = 80


def shown(value: Any, limit: int = SHOWN) -> str:
    """A value as an error message may quote it: cut, and any lone surrogate escaped."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except RecursionError:
        text = type(value).__name__
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text):,} characters)"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class DocumentError(Exception):
    """A document that cannot be imported, with where (``path``) and why."""

    #: What kind of problem, for callers that answer differently (the API's 409).
    code = "invalid"

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class TakenError(DocumentError):
    """An identifier or an id that another record holds (the API answers 409)."""

    code = "taken"


# ----------------------------------------------------------------------------- values


def plain(value: Any) -> Any:
    """A model value as JSON holds it: country codes, decimals as text, UUIDs as text."""
    if value is None or isinstance(value, str | bool | int | float):
        return value  # the most of them, first
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    code = getattr(value, "code", None)  # a django-countries Country
    if code is not None:
        return code
    return [plain(v) for v in value]  # a multiple CountryField's list-like value


def is_empty(value: Any) -> bool:
    return value in ("", None, False, [])


def as_uuid(text: Any) -> str | None:
    """The canonical text of a UUID, or None for anything else (an integer, a word)."""
    if not isinstance(text, str):
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def text(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DocumentError(path, f"expected text, found {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError(
            path, f"“{shown(value)}” is not valid text (a lone surrogate)"
        ) from None
    return value


def _number(value: Any, path: str, kinds: tuple, what: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise DocumentError(path, f"expected {what}, found {shown(value)}")
    return value


def to_model_value(model_field: models.Field, value: Any, path: str) -> Any:
    """A JSON value as the model field takes it; absent values become the field's empty value."""
    if isinstance(model_field, models.BooleanField):
        if value is None:
            return False
        if not isinstance(value, bool):
            raise DocumentError(path, f"expected true or false, found {shown(value)}")
        return value
    if getattr(model_field, "multiple", False):  # CountryField(multiple=True)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DocumentError(path, "expected a list of country codes")
        return value
    if isinstance(model_field, models.CharField | models.TextField):
        return text(value, path)
    if value is None:
        return None
    if isinstance(model_field, models.DecimalField):
        _number(value, path, (str, int, float), "a number")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise DocumentError(path, f"“{shown(value)}” is not a number") from None
    if isinstance(model_field, models.FloatField):
        return float(_number(value, path, (int, float), "a number"))
    if isinstance(model_field, models.IntegerField):
        return _number(value, path, (int,), "a whole number")
    return text(value, path)


def from_validation(path: str, error: ValidationError) -> DocumentError:
    if hasattr(error, "error_dict"):
        field_name, messages = next(iter(error.message_dict.items()))
        where = path if field_name == "__all__" else f"{path}.{field_name}"
        return DocumentError(where, shown_message(" ".join(messages)))
    return DocumentError(path, shown_message(" ".join(error.messages)))


def shown_message(message: str) -> str:
    """A model's message may quote the value (“Value '…' is not a valid choice”): cut it."""
    return shown(message, 4 * SHOWN)
