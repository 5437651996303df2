"""The REST API under /api/: every kind of record, read with filters, ordering and pages.

OpenAPI 3 at /api/openapi.json, interactive documentation at /api/docs (Swagger
UI from the django-ninja package, nothing from a CDN). Anonymous clients read
public records; staff, by session or token, read what the back office shows.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, field_validator

from passerelle import __version__
from passerelle.activities.models import Activity, Participation
from passerelle.core.models import Source
from passerelle.core.visibility import participations_visible_to, visible_to
from passerelle.registry.models import Organization, Person, Place, Topic
from passerelle.search.documents import BUILDERS as INDEXED
from passerelle.search.engine import matching_records

from . import schemas
from .auth import AUTH
from .throttling import AnonymousThrottle, ClientThrottle
from .writes import register_writes, version_of

api = NinjaAPI(
    title="Passerelle API",
    version=__version__,
    description=__doc__,
    auth=AUTH,
    urls_namespace="api",
    throttle=[AnonymousThrottle(), ClientThrottle()],
)


ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: list[dict]


#: What any operation may answer besides its result, documented so that clients (and the
#: fuzzer) know: a bad token, a refusal, an unknown id, a bad parameter, too many requests.
ERRORS = {400: Message, 401: Message, 403: Message, 404: Message, 422: Invalid, 429: Message}


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


@dataclass
class Collection:
    """One kind of record as the API serves it."""

    path: str
    model: type[Model]
    out: type[Schema]
    search: tuple[str, ...]
    orderings: tuple[str, ...]
    related: tuple[str, ...] = ()
    prefetch: tuple = ()
    extra_filters: dict = field(default_factory=dict)

    def queryset(self, request) -> QuerySet:
        records = self.model.objects.select_related(*self.related).prefetch_related(*self.prefetch)
        if self.model is Activity:
            shown = participations_visible_to(Participation.objects.all(), request.auth)
            records = records.prefetch_related(
                Prefetch(
                    "participations",
                    queryset=shown.select_related("organization", "person", "place"),
                    to_attr="visible_participations",
                )
            )
        return visible_to(records, request.auth)


def register(collection: Collection) -> None:
    router = Router(tags=[collection.path])
    Ordering = Literal[collection.orderings]  # a type, built for each collection

    name = collection.path

    @router.get(
        "/",
        response={200: list[collection.out], **ERRORS},
        summary=f"List {name}",
        operation_id=f"list_{name}",
    )
    @paginate(Pages)
    def listing(request, filters: Query[Filters], ordering: Ordering = collection.orderings[0]):
        records = collection.queryset(request)
        if filters.q and collection.model in INDEXED:
            records = records.filter(pk__in=matching_records(collection.model, filters.q[:200]))
        elif filters.q:
            condition = Q()
            for looked_up in collection.search:
                condition |= Q(**{f"{looked_up}__icontains": filters.q[:200]})
            records = records.filter(condition)
            if any("__" in looked_up for looked_up in collection.search):
                records = records.distinct()  # a record matched through two other names
        if filters.visibility:
            records = records.filter(visibility=filters.visibility)
        if filters.updated_since:
            records = records.filter(updated__gte=filters.updated_since)
        return records.order_by(ordering, "pk")

    @router.get(
        "/{id}",
        response={200: collection.out, **ERRORS},
        summary=f"One of the {name}",
        operation_id=f"get_{name}",
    )
    def detail(request, id: UUID, response: HttpResponse):
        record = get_object_or_404(collection.queryset(request), uid=id)
        response["ETag"] = version_of(record)
        return record

    @router.get(
        "/{id}/history",
        response={200: list[schemas.HistoryOut], **ERRORS},
        summary="Who changed what, and when (staff only)",
        operation_id=f"history_{name}",
    )
    def history(request, id: UUID):
        if not (request.auth.is_authenticated and request.auth.is_staff):
            raise HttpError(403, "The history of records is for staff.")
        record = get_object_or_404(collection.queryset(request), uid=id)
        versions = list(record.history.select_related("history_user").order_by("history_date"))
        entries = []
        for previous, version in zip([None, *versions], versions, strict=False):
            changes = []
            if previous is not None:
                delta = version.diff_against(previous)
                changes = [
                    {"field": c.field, "old": str(c.old), "new": str(c.new)} for c in delta.changes
                ]
            entries.append(
                {
                    "date": version.history_date,
                    "user": version.history_user.get_username() if version.history_user else "",
                    "change": {"+": "created", "~": "changed", "-": "deleted"}[
                        version.history_type
                    ],
                    "changes": changes,
                }
            )
        return entries

    register_writes(router, collection)
    api.add_router(f"/{collection.path}", router)


COLLECTIONS = [
    Collection(
        "sources",
        Source,
        schemas.SourceOut,
        ("title", "publisher"),
        ("title", "-title", "updated", "-updated"),
    ),
    Collection(
        "places",
        Place,
        schemas.PlaceOut,
        ("name_en", "name_fr", "region"),
        ("country", "name_en", "-name_en", "updated", "-updated"),
    ),
    Collection(
        "topics",
        Topic,
        schemas.TopicOut,
        ("name_en", "name_fr", "slug"),
        ("name_en", "-name_en", "updated", "-updated"),
        related=("parent",),
    ),
    Collection(
        "organizations",
        Organization,
        schemas.OrganizationOut,
        ("name", "name_en", "name_fr", "acronym", "names__value"),
        ("name", "-name", "updated", "-updated"),
        related=("place", "parent"),
        prefetch=("topics", "names", "identifiers"),
    ),
    Collection(
        "people",
        Person,
        schemas.PersonOut,
        ("family_name", "given_name"),
        ("family_name", "-family_name", "updated", "-updated"),
        related=("place",),
        prefetch=("topics", "identifiers", "affiliations__organization"),
    ),
    Collection(
        "activities",
        Activity,
        schemas.ActivityOut,
        ("title_en", "title_fr", "acronym"),
        ("-start", "start", "title_en", "-title_en", "updated", "-updated"),
        prefetch=("places", "topics"),
    ),
]
for _collection in COLLECTIONS:
    register(_collection)

from .discovery import router as discovery  # noqa: E402  (after the api it joins)

api.add_router("/", discovery)
