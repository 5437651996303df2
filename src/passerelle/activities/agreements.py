"""An agreement's life: draft, negotiation, signature, force, and its end.

draft → in negotiation → signed (once every party has signed: who, when) → in force
(from its start) → expired (at its end) / terminated (with a reason) / renewed (by a
successor that ``renews`` it, which starts as its copy). What the dates decide (in force,
expired) is derived from them (``effective_status``); what only people decide
(signed, terminated, renewed) is set by ``transition`` or ``renew``, which refuse an
illegal step with a message naming the agreement. Every step is a saved version of
the agreement whose change reason says why (django-simple-history): who, when and why.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from passerelle.core.dates import PartialDate

from .models import Activity, ActivityLink, Participation
from .vocabulary import AgreementStatus, Kind, LinkRelation, Role

S = AgreementStatus
#: The steps people take, from each status (the dates take the others).
STEPS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.UNDER_REVIEW, S.TERMINATED),
    S.UNDER_REVIEW: (S.DRAFT, S.SIGNED, S.TERMINATED),
    S.SIGNED: (S.ACTIVE, S.TERMINATED),
    S.ACTIVE: (S.EXPIRED, S.TERMINATED, S.RENEWED),
    S.EXPIRED: (S.RENEWED,),
    S.TERMINATED: (),
    S.RENEWED: (),
}
#: What the back office offers as buttons (renewal has its own action, which copies).
ACTIONS = (S.UNDER_REVIEW, S.SIGNED, S.ACTIVE, S.TERMINATED)


def _date(text: str, last: bool = False) -> datetime.date | None:
    if not text:
        return None
    date = PartialDate.parse(text)
    return date.last_day if last else date.first_day


def effective_status(agreement: Activity, today: datetime.date | None = None) -> str:
    """The status as the dates make it: a signed agreement is in force from its start, and
    expired after its end (unless it renews itself); people's decisions stand."""
    today = today or datetime.date.today()
    status = agreement.status
    if status in (S.SIGNED, S.ACTIVE):
        start, end = _date(agreement.start), _date(agreement.end, last=True)
        if end is not None and end < today and not agreement.renews_automatically:
            return S.EXPIRED
        if status == S.SIGNED and start is not None and start <= today:
            return S.ACTIVE
    return status


def unsigned_parties(agreement: Activity) -> list[Participation]:
    """The parties that have not signed (no signatory, or no date)."""
    return [
        p
        for p in agreement.participations.filter(role=Role.PARTY).select_related("organization")
        if not (p.signed_by_id and p.signed_on)
    ]


def transition(
    agreement: Activity, status: str, user=None, reason: str = "", *, today=None
) -> Activity:
    """Take ``agreement`` to ``status``, or ValidationError saying why not, nothing written."""
    if agreement.kind != Kind.AGREEMENT:
        raise ValidationError({"status": _("«%(a)s» is not an agreement.") % {"a": agreement}})
    if status not in S.values:
        raise ValidationError(
            {"status": _("«%(a)s»: “%(s)s” is not a status.") % {"a": agreement, "s": status}}
        )
    current = effective_status(agreement, today)
    if status not in STEPS.get(current, ()):
        raise ValidationError(
            {
                "status": _("«%(a)s» is %(now)s: it cannot become %(then)s.")
                % {"a": agreement, "now": S(current).label, "then": S(status).label}
            }
        )
    if status == S.SIGNED:
        missing = unsigned_parties(agreement)
        if missing:
            raise ValidationError(
                {
                    "status": _(
                        "«%(a)s» cannot be signed: %(parties)s has not signed yet "
                        "(signatory and date)."
                    )
                    % {"a": agreement, "parties": ", ".join(str(p.actor) for p in missing)}
                }
            )
    if status == S.ACTIVE:
        start = _date(agreement.start)
        if start is None or start > (today or datetime.date.today()):
            raise ValidationError(
                {
                    "start": _("«%(a)s» comes into force at its start date, which is not reached.")
                    % {"a": agreement}
                }
            )
    if status == S.TERMINATED and not reason.strip():
        raise ValidationError(
            {"status": _("«%(a)s»: say why it is terminated.") % {"a": agreement}}
        )
    agreement.status = status
    if status == S.SIGNED and not agreement.signed_on:
        agreement.signed_on = max(
            agreement.participations.filter(role=Role.PARTY).values_list("signed_on", flat=True)
        )
    agreement._change_reason = reason or _("status: %(s)s") % {"s": S(status).label}
    if user is not None and user.is_authenticated:
        agreement._history_user = user
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def renew(agreement: Activity, user=None, reason: str = "") -> Activity:
    """A successor to ``agreement``: a draft copy (parties, commitments; no signatures, no
    dates) that ``renews`` it; the agreement itself becomes renewed."""
    current = effective_status(agreement)
    if S.RENEWED not in STEPS.get(current, ()):
        raise ValidationError(
            {
                "status": _("«%(a)s» is %(now)s: it cannot be renewed.")
                % {"a": agreement, "now": S(current).label}
            }
        )
    successor = Activity.objects.get(pk=agreement.pk)
    successor.pk = successor.id = None
    successor._state.adding = True
    successor.uid = uuid.uuid4()
    successor.status, successor.signed_on = S.DRAFT, ""
    successor.start = agreement.end and _next_day(agreement.end)
    successor.end = ""
    successor.owner = user if user is not None and user.is_authenticated else agreement.owner
    successor._change_reason = _("renews «%(a)s»") % {"a": agreement}
    successor.save()
    successor.places.set(agreement.places.all())
    successor.topics.set(agreement.topics.all())
    for participation in agreement.participations.all():
        participation.pk = None
        participation.activity = successor
        participation.signed_by, participation.signed_on = None, ""
        participation.start = participation.end = ""
        participation.save()
    for commitment in agreement.commitments.all():
        commitment.pk = None
        commitment.uid = uuid.uuid4()
        commitment.agreement = successor
        commitment.save()
    ActivityLink.objects.create(subject=successor, relation=LinkRelation.RENEWS, object=agreement)
    agreement.status = S.RENEWED
    agreement._change_reason = reason or _("renewed by «%(a)s»") % {"a": successor}
    agreement.save()
    return successor


def _next_day(text: str) -> str:
    return (PartialDate.parse(text).last_day + datetime.timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Term:
    """What the officer needs to know of an agreement's term, today."""

    status: str
    start: datetime.date | None
    end: datetime.date | None
    open_ended: bool
    expires_in: int | None  # days, when it has an end ahead
    decision_by: datetime.date | None  # renew or not: the end less the notice period


def term(agreement: Activity, today: datetime.date | None = None) -> Term:
    today = today or datetime.date.today()
    start, end = _date(agreement.start), _date(agreement.end, last=True)
    decision = None
    if end is not None and agreement.notice_months:
        month = end.month - agreement.notice_months
        year = end.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        decision = datetime.date(year, month, min(end.day, 28))
    return Term(
        status=effective_status(agreement, today),
        start=start,
        end=end,
        open_ended=agreement.open_ended,
        expires_in=(end - today).days if end is not None and end >= today else None,
        decision_by=decision,
    )
