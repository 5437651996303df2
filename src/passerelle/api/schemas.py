"""What the API reads and writes: the records in the interchange document's shape.

The record schemas are built from the interchange format's table of sections
(``passerelle.ingest.interchange.format``), so a GET answers exactly what
``passerelle export`` writes for that record (plus the read-only ``updated``),
and a PUT takes exactly what a GET gave. Fields with no value are left out, as
in the document. Also here: the error answers every operation documents, the
page and filter parameters.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from django.db import models
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict, Field, create_model, field_validator

from passerelle.ingest.interchange.format import PARTS, SECTIONS, Part, Reference, Section


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: list[dict]


#: What any operation may answer besides its result, documented so that clients (and the
#: fuzzer) know: a bad token, a refusal, an unknown id, a bad parameter, too many requests.
ERRORS = {
    400: Message,
    401: Message,
    403: Message,
    404: Message,
    413: Message,
    422: Invalid | Message,
    429: Message,
}

ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class Pages(LimitOffsetPagination):
    """Limit and offset, both bounded: a huge offset is a 422, not a database overflow."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=1_000_000_000)


class Filters(Schema):
    q: str | None = None
    visibility: Literal["public", "internal", "confidential"] | None = None
    updated_since: datetime | None = None

    @field_validator("updated_since", mode="before")
    @classmethod
    def iso_date_and_time(cls, value):
        """Only what the schema says (ISO 8601): pydantic would also take "0.5" as a time."""
        if value is not None and not ISO_DATE_TIME.match(str(value)):
            raise ValueError("give an ISO 8601 date and time, such as 2026-11-29T12:00:00Z")
        return value

    @field_validator("updated_since")
    @classmethod
    def in_utc(cls, value):
        """RFC 3339 allows offsets up to ±23:59 and PostgreSQL refuses past ±15:59 (the
        fuzzer found a 500 with "-22:06"): the moment is compared in UTC."""
        if value is None or value.utcoffset() is None:
            return value
        try:
            return value.astimezone(UTC)
        except OverflowError:  # within a day of year 1 or 9999
            return (datetime.min if value.year < 5000 else datetime.max).replace(tzinfo=UTC)


# ----------------------------------------------------------------------------- record shapes


class Shape(Schema):
    """A record or a part of one, as the document holds it: no key beside its own."""

    model_config = ConfigDict(extra="forbid")


class CitationOut(Shape):
    source: UUID
    quotation: str = None
    locator: str = None


def json_type(model_field: models.Field) -> Any:
    """The JSON type a model field takes in the document (amounts are text, as exported)."""
    if getattr(model_field, "multiple", False):
        return list[str]
    if isinstance(model_field, models.BooleanField):
        return bool
    if isinstance(model_field, models.FloatField):
        return float
    if isinstance(model_field, models.DecimalField):
        return str
    if isinstance(model_field, models.IntegerField):
        return int
    return str


def _reference(reference: Reference) -> tuple[Any, Any]:
    return (list[UUID] if reference.many else UUID), None


def _shape(name: str, model, fields, references, keys: dict, cited: bool) -> type[Shape]:
    """A schema whose keys are optional (left out when empty) but for those in ``keys``."""
    definitions: dict[str, Any] = dict(keys)
    for field_name in fields:
        definitions[field_name] = (json_type(model._meta.get_field(field_name)), None)
    for reference in references:
        definitions[reference.key] = _reference(reference)
    if cited:
        definitions["sources"] = (list[CitationOut], None)
    return create_model(name, __base__=Shape, **definitions)


PART_KEYS: dict[str, dict] = {
    "participations": {
        "actor_id": (UUID, ...),
        "actor_type": (Literal["organization", "person"], ...),
        "actor_name": (str, None),  # informative: the import reads the id
    },
    "commitments": {"id": (UUID, ...)},
    "agenda": {"id": (UUID, ...)},
    "follow_ups": {"id": (UUID, ...), "owner": (str, None)},
}


def _part_shape(part: Part) -> type[Shape]:
    name = "".join(word.title() for word in part.key.split("_")) + "Out"
    keys = PART_KEYS.get(part.key, {})
    assert set(keys) == set(part.keys), part.key  # the table and this module agree
    return _shape(name, part.model, part.fields, part.references, keys, part.cited)


PART_SHAPES: dict[str, type[Shape]] = {key: _part_shape(part) for key, part in PARTS.items()}


def _record_shape(section: Section) -> type[Shape]:
    name = section.model.__name__ + "Out"
    shape = _shape(
        name,
        section.model,
        section.fields,
        section.references,
        {"id": (UUID, ...)},
        "sources" in section.allowed,
    )
    parts = {key: (list[PART_SHAPES[key]], None) for key in section.parts}
    read_only = {"updated": (datetime, Field(..., description="When it last changed (read only)."))}
    return create_model(name, __base__=shape, **parts, **read_only)


#: The schema of each section's records, by the section's key ("organizations").
RECORDS: dict[str, type[Shape]] = {section.key: _record_shape(section) for section in SECTIONS}


def conflict(section: Section) -> type[Schema]:
    """A write refused because of another version (with the record as it is now), another
    record holding an identifier, or records that still refer to this one."""
    return create_model(
        f"{section.model.__name__}Conflict",
        __base__=Schema,
        detail=(str, ...),
        current=(RECORDS[section.key] | None, None),
        used_by=(list[str] | None, None),
    )


class Change(Schema):
    field: str
    old: str
    new: str


class HistoryOut(Schema):
    date: datetime
    user: str
    change: str  # created, changed or deleted
    changes: list[Change]
