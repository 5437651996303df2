"""Reading records through the API: every section of the interchange document, with filters,
ordering, pages and history.

A record is answered in the interchange shape (``passerelle.ingest.interchange``)
as its reader may read it: the ids of records the reader may not read (a
confidential parent, an internal place) are left out, as the portal leaves
out their names.
"""

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from django.db.models import Model, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from passerelle.core.users import AnyUser
from passerelle.core.visibility import visible_to
from passerelle.ingest.interchange import BY_KEY, export_records
from passerelle.ingest.interchange.format import BY_MODEL, Section
from passerelle.search.documents import BUILDERS as INDEXED
from passerelle.search.engine import matching_records

from . import schemas
from .auth import OPTIONAL_AUTH


@dataclass(frozen=True)
class Collection:
    """One section of the document as the API serves it, under /api/<section>/."""

    section: Section
    search: tuple[str, ...]
    orderings: tuple[str, ...]

    @property
    def path(self) -> str:
        return self.section.key

    @property
    def model(self) -> type[Model]:
        return self.section.model

    @property
    def out(self):
        return schemas.RECORDS[self.path]

    def queryset(self, user: AnyUser) -> QuerySet:
        return visible_to(self.model.objects.all(), user)


def version_of(record: Model) -> str:
    """The ETag of a record: the time of its last change, quoted."""
    return f'"{record.updated.isoformat()}"'


def shapes(objects: list[Model], user: AnyUser) -> list[dict]:
    """Records as ``user`` reads them: the document's shape, and when each last changed."""
    if not objects:
        return []
    bodies = export_records(BY_MODEL[type(objects[0])], objects, user)
    for body, obj in zip(bodies, objects, strict=True):
        body["updated"] = obj.updated
    return bodies


def shape(record: Model, user: AnyUser) -> dict:
    return shapes([record], user)[0]


class RecordPages(schemas.Pages):
    """A page of records in their document shape, read a page at a time."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = shapes(list(page[self.items_attribute]), request.auth)
        return page


def _history(record: Model) -> list[dict]:
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
                "change": {"+": "created", "~": "changed", "-": "deleted"}[version.history_type],
                "changes": changes,
            }
        )
    return entries


def reads(collection: Collection) -> Router:
    """The router of a collection's reads (its writes join it: ``writes.register_writes``)."""
    router = Router(tags=[collection.path])
    Ordering = Literal[collection.orderings]  # a type, built for each collection
    name = collection.path

    @router.get(
        "/",
        response={200: list[collection.out], **schemas.ERRORS},
        summary=f"List {name}",
        operation_id=f"list_{name}",
        exclude_unset=True,
        openapi_extra=OPTIONAL_AUTH,
    )
    @paginate(RecordPages)
    def listing(
        request, filters: Query[schemas.Filters], ordering: Ordering = collection.orderings[0]
    ):
        records = collection.queryset(request.auth)
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
        response={200: collection.out, **schemas.ERRORS},
        summary=f"One of the {name}",
        operation_id=f"get_{name}",
        exclude_unset=True,
        openapi_extra=OPTIONAL_AUTH,
    )
    def detail(request, id: UUID, response: HttpResponse):
        record = get_object_or_404(collection.queryset(request.auth), uid=id)
        response["ETag"] = version_of(record)
        return shape(record, request.auth)

    @router.get(
        "/{id}/history",
        response={200: list[schemas.HistoryOut], **schemas.ERRORS},
        summary="Who changed what, and when (staff only)",
        operation_id=f"history_{name}",
        openapi_extra=OPTIONAL_AUTH,
    )
    def history(request, id: UUID):
        if not (request.auth.is_authenticated and request.auth.is_staff):
            raise HttpError(403, "The history of records is for staff.")
        return _history(get_object_or_404(collection.queryset(request.auth), uid=id))

    return router


COLLECTIONS = [
    Collection(
        BY_KEY["sources"], ("title", "publisher"), ("title", "-title", "updated", "-updated")
    ),
    Collection(
        BY_KEY["places"],
        ("name_en", "name_fr", "region"),
        ("country", "name_en", "-name_en", "updated", "-updated"),
    ),
    Collection(
        BY_KEY["topics"],
        ("name_en", "name_fr", "slug"),
        ("name_en", "-name_en", "updated", "-updated"),
    ),
    Collection(
        BY_KEY["organizations"],
        ("name", "name_en", "name_fr", "acronym", "names__value"),
        ("name", "-name", "updated", "-updated"),
    ),
    Collection(
        BY_KEY["people"],
        ("family_name", "given_name"),
        ("family_name", "-family_name", "updated", "-updated"),
    ),
    Collection(
        BY_KEY["activities"],
        ("title_en", "title_fr", "acronym"),
        ("-start", "start", "title_en", "-title_en", "updated", "-updated"),
    ),
]
