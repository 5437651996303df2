"""The commitment checker through the API: the same service as the back office, the
portal and the command line (``activities.commitments``), on what the caller reads."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from passerelle.activities.commitments import check, check_all
from passerelle.activities.models import Activity

from .auth import OPTIONAL_AUTH
from .schemas import ERRORS

router = Router(tags=["agreements"])


class CheckedAgreement(Schema):
    id: UUID
    title: str
    title_fr: str


class CheckedCommitment(Schema):
    id: UUID
    area: str
    text: str
    text_fr: str


class CitedSource(Schema):
    source: str
    url: str | None
    quotation: str


class ObservedActivity(Schema):
    id: UUID
    title: str
    title_fr: str
    date: str | None
    country: str | None
    confirmed: bool
    people: int | None
    person_months: float | None
    sources: list[CitedSource]


class WhatIsNext(Schema):
    by: str | None
    country: str | None
    text: str | None
    text_fr: str | None


class CommitmentCheck(Schema):
    agreement: CheckedAgreement
    commitment: CheckedCommitment
    status: str
    reason: dict[str, str]
    progress: dict[str, str] | None
    note: dict[str, str] | None
    observed: list[ObservedActivity]
    next_due: WhatIsNext


@router.get(
    "/agreements/{id}/commitments",
    response={200: list[CommitmentCheck], **ERRORS},
    operation_id="agreement_commitments",
    openapi_extra=OPTIONAL_AUTH,
    summary="An agreement's commitments, each checked against the recorded activities",
)
def agreement_commitments(request, id: UUID):
    agreement = get_object_or_404(
        Activity.objects.restrict(request.auth, "view"), uid=id, kind="agreement"
    )
    return [result.as_json() for result in check(request.auth, [agreement])]


@router.get(
    "/commitments",
    response={200: list[CommitmentCheck], **ERRORS},
    operation_id="commitments",
    openapi_extra=OPTIONAL_AUTH,
    summary="Every commitment of every agreement the caller reads, checked",
)
def commitments(request):
    return [result.as_json() for result in check_all(request.auth)]
