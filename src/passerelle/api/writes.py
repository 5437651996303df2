"""Creating, changing and deleting records through the API.

A write is a one-record interchange document handed to the importer: the API
checks and refuses exactly what `passerelle import` does, with the same
messages naming the field, all or nothing. A change must name the version it
was based on (``If-Match``, the ETag a read returned); a stale one is refused
with 409 and the current record, never silently overwritten.
"""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Model, ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Body, Header, Router
from ninja.errors import HttpError
from ninja.responses import Status

from passerelle.core import authoring
from passerelle.ingest.interchange import FORMAT, VERSION, DocumentError, import_document


def version_of(record: Model) -> str:
    """The ETag of a record: the time of its last change, quoted."""
    return f'"{record.updated.isoformat()}"'


def _require(request, collection, action: str) -> None:
    user = request.auth
    if not user.is_authenticated:
        raise HttpError(401, "Sign in, or give an API token, to change records.")
    meta = collection.model._meta
    if not user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise HttpError(403, f"Your role may not {action} {meta.verbose_name_plural}.")


def _may_change(request, record: Model) -> None:
    if not authoring.may_change(request.auth, record):
        raise HttpError(
            403, "Your role may change only your own drafts, until an editor publishes them."
        )


def _import(request, collection, body: dict) -> None:
    user = request.auth
    if not authoring.publishes(user):
        body = {**body, "draft": True}  # a contributor writes drafts; an editor publishes
    document = {"format": FORMAT, "version": VERSION, collection.path: [body]}
    try:
        import_document(document, reason=f"API, {user.get_username()}", owner=user)
    except DocumentError as error:
        raise HttpError(422, str(error)) from error


def register_writes(router: Router, collection) -> None:
    from .api import ERRORS  # the shared error responses

    name = collection.path

    @router.post(
        "/",
        response={201: collection.out, 409: dict, **ERRORS},
        summary=f"Create one of the {name}",
        operation_id=f"create_{name}",
    )
    def create(request, body: Body[dict[str, Any]], response: HttpResponse):
        _require(request, collection, "add")
        body = dict(body)
        body.setdefault("id", str(uuid.uuid4()))
        if collection.model.objects.filter(uid=str(body["id"])).exists():
            raise HttpError(409, f"{body['id']} exists: change it with PUT.")
        _import(request, collection, body)
        record = get_object_or_404(collection.queryset(request), uid=body["id"])
        response["ETag"] = version_of(record)
        return Status(201, record)

    @router.put(
        "/{id}",
        response={200: collection.out, 409: dict, 428: dict, **ERRORS},
        summary=f"Replace one of the {name} (send If-Match)",
        operation_id=f"replace_{name}",
    )
    def replace(
        request,
        id: uuid.UUID,
        body: Body[dict[str, Any]],
        response: HttpResponse,
        if_match: Header[str | None] = None,
    ):
        _require(request, collection, "change")
        if not if_match:
            raise HttpError(428, "Send If-Match with the ETag of the version you changed.")
        with transaction.atomic():
            current = get_object_or_404(
                collection.queryset(request).select_for_update(of=("self",)), uid=id
            )
            _may_change(request, current)
            if if_match != version_of(current):
                return Status(
                    409,
                    {
                        "detail": "The record changed since you read it; here it is now.",
                        "current": collection.out.from_orm(current).model_dump(mode="json"),
                    },
                )
            _import(request, collection, {**body, "id": str(id)})
        record = get_object_or_404(collection.queryset(request), uid=id)
        response["ETag"] = version_of(record)
        return record

    @router.delete(
        "/{id}",
        response={204: None, 409: dict, **ERRORS},
        summary=f"Delete one of the {name}",
        operation_id=f"delete_{name}",
    )
    def delete(request, id: uuid.UUID):
        _require(request, collection, "delete")
        record = get_object_or_404(collection.queryset(request), uid=id)
        _may_change(request, record)
        try:
            with transaction.atomic():
                record.delete()
        except ProtectedError as error:
            used_by = sorted({str(o) for o in error.protected_objects})[:10]
            return Status(
                409, {"detail": "Other records still refer to this one.", "used_by": used_by}
            )
        return Status(204, None)
