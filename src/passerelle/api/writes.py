"""Creating, changing and deleting records through the API.

A write is a one-record interchange document handed to the importer: the API
checks and refuses exactly what `passerelle import` does, with the same
messages naming the field, all or nothing. PUT takes the record exactly as GET
answered it (``updated`` is read only and ignored); PATCH takes only the keys
to change, and keeps the parts it does not name. A change must name the version
it was based on (``If-Match``, the ETag a read returned); a stale one is refused
with 409 and the current record, never silently overwritten.

Every write asks ``core.authoring.may_change`` (the one rule of who changes
what), and the importer resolves references as the writer may read them: an
id the writer may not read is answered as an unknown one.
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
from passerelle.core.visibility import can_read
from passerelle.ingest.interchange import (
    FORMAT,
    VERSION,
    DocumentError,
    TakenError,
    import_document,
)
from passerelle.ingest.interchange.format import READ_ONLY, as_uuid, shown

from . import schemas
from .records import Collection, shape, version_of

#: The body of a write, documented: the record in the shape GET answers.
RECORD_BODY = "The record as GET answers it (for PATCH, only the keys to change)."


def _require(request, collection: Collection, action: str) -> None:
    user = request.auth
    if not user.is_authenticated:
        raise HttpError(
            401,
            "Changing records needs an API token (Authorization: Bearer …) or a signed-in session.",
        )
    meta = collection.model._meta
    if not user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise HttpError(403, f"Your role may not {action} {meta.verbose_name_plural}.")


def _may_change(request, record: Model) -> None:
    """The one decision of who may change a record, asked on every write path."""
    if not authoring.may_change(request.auth, record):
        raise HttpError(
            403, "Your role may change only your own drafts, until an editor publishes them."
        )


def _import(request, collection: Collection, body: dict[str, Any]) -> None:
    user = request.auth
    body = {key: value for key, value in body.items() if key not in READ_ONLY}
    if not authoring.publishes(user):
        if body.get("draft") is False:  # said, not left out: refused, as visibility is
            raise HttpError(
                403, "Your role writes drafts: an editor publishes them (draft: false)."
            )
        body["draft"] = True  # a contributor writes drafts; an editor publishes
    document = {"format": FORMAT, "version": VERSION, collection.path: [body]}
    try:
        import_document(
            document, reason=f"API, {user.get_username()}", owner=user, reader=user, adopt=False
        )
    except TakenError as error:
        raise HttpError(409, str(error)) from error
    except DocumentError as error:
        raise HttpError(422, str(error)) from error


def _new_id(request, collection: Collection, body: dict[str, Any]) -> str:
    """The id of a record to create: the one given, if it is a UUID no record holds."""
    if body.get("id") is None:
        return str(uuid.uuid4())
    uid = as_uuid(body["id"])
    if uid is None:
        raise HttpError(422, f"{collection.path}[0].id: “{shown(body['id'])}” is not a UUID")
    held = collection.model.objects.filter(uid=uid)
    if collection.queryset(request.auth).filter(uid=uid).exists():
        raise HttpError(409, f"{uid} exists: change it with PUT.")
    if held.exists():  # a record the writer may not read: nothing said of it
        raise HttpError(
            422, f"{collection.path}[0].id: {uid} cannot be given; leave id out to get a new one."
        )
    return uid


def _version_read(request, collection: Collection, id: uuid.UUID, if_match: str | None) -> Model:
    """The record to change, locked, if the writer may change it and read this version."""
    if not if_match:
        raise HttpError(428, "Send If-Match with the ETag of the version you changed.")
    current = get_object_or_404(
        collection.queryset(request.auth).select_for_update(of=("self",)), uid=id
    )
    _may_change(request, current)
    return current


def _stale(request, current: Model) -> Status:
    return Status(
        409,
        {
            "detail": "The record changed since you read it; here it is now.",
            "current": shape(current, request.auth),
        },
    )


def _check_id(collection: Collection, body: dict[str, Any], id: uuid.UUID) -> None:
    if "id" in body and as_uuid(body["id"]) != str(id):
        raise HttpError(
            422, f"{collection.path}[0].id: the body's id is not the id of the address ({id})"
        )


def register_writes(router: Router, collection: Collection) -> None:
    name = collection.path
    conflict = schemas.conflict(collection.section)
    body_doc = {"requestBody": {"description": RECORD_BODY}}

    @router.post(
        "/",
        response={201: collection.out, 409: conflict, **schemas.ERRORS},
        summary=f"Create one of the {name}",
        operation_id=f"create_{name}",
        exclude_unset=True,
        openapi_extra=body_doc,
    )
    def create(request, body: Body[dict[str, Any]], response: HttpResponse):
        _require(request, collection, "add")
        body = {**body, "id": _new_id(request, collection, body)}
        draft = body.get("draft") is True or not authoring.publishes(request.auth)
        _may_change(request, collection.model(owner=request.auth, draft=draft))
        _import(request, collection, body)
        record = get_object_or_404(collection.queryset(request.auth), uid=body["id"])
        response["ETag"] = version_of(record)
        return Status(201, shape(record, request.auth))

    def change(request, id, body, response, if_match, *, partial: bool):
        _require(request, collection, "change")
        _check_id(collection, body, id)
        with transaction.atomic():
            current = _version_read(request, collection, id, if_match)
            if if_match != version_of(current):
                return _stale(request, current)
            if partial:  # a merge patch of the record: the keys given replace those read
                merged = shape(current, request.auth)
                merged.update(body)
                body = {k: v for k, v in merged.items() if v is not None}
            _import(request, collection, {**body, "id": str(id)})
        record = get_object_or_404(collection.queryset(request.auth), uid=id)
        response["ETag"] = version_of(record)
        return shape(record, request.auth)

    def changing(partial: bool):
        def view(
            request,
            id: uuid.UUID,
            body: Body[dict[str, Any]],
            response: HttpResponse,
            if_match: Header[str | None] = None,
        ):
            return change(request, id, body, response, if_match, partial=partial)

        return view

    answers = {200: collection.out, 409: conflict, 428: schemas.Message, **schemas.ERRORS}
    for method, operation, summary in (
        ("put", "replace", f"Replace one of the {name} with the record as read (send If-Match)"),
        ("patch", "patch", f"Change some keys of one of the {name} (send If-Match)"),
    ):
        getattr(router, method)(
            "/{id}",
            response=answers,
            summary=summary,
            operation_id=f"{operation}_{name}",
            exclude_unset=True,
            openapi_extra=body_doc,
        )(changing(partial=method == "patch"))

    @router.delete(
        "/{id}",
        response={204: None, 409: conflict, **schemas.ERRORS},
        summary=f"Delete one of the {name}",
        operation_id=f"delete_{name}",
    )
    def delete(request, id: uuid.UUID):
        _require(request, collection, "delete")
        record = get_object_or_404(collection.queryset(request.auth), uid=id)
        _may_change(request, record)
        try:
            with transaction.atomic():
                record.delete()
        except ProtectedError as error:
            referring = error.protected_objects
            used_by = sorted({str(o) for o in referring if can_read(o, request.auth)})[:10]
            return Status(
                409,
                {
                    "detail": f"{len(referring)} other records still refer to this one.",
                    "used_by": used_by,  # those the writer may read
                },
            )
        return Status(204, None)
