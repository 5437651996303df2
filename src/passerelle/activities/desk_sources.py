"""The desk's sources from agreements: commitments to act on, agreements near their end.

Registered by the app's ``ready()`` into ``core.desk``; each answers only what its user
reads (the checker and the agreement list go through ``restrict(user, "view")``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from passerelle.core.desk import Attention

from . import agreements
from .commitments import VERDICT_LABELS, check_all
from .models import Activity
from .vocabulary import AgreementStatus, Kind

#: Days before an agreement's end at which the desk says so, from the farthest.
EXPIRY_THRESHOLDS = (180, 90, 30)
SEVERITY = {"due": "info", "late": "warning", "broken": "danger"}


def _url(agreement) -> str:
    return reverse("admin:activities_activity_change", args=[agreement.pk])


def commitment_items(user, today: datetime.date) -> Iterator[Attention]:
    """Commitments due, late or broken, and fulfilments the rule suggests, to confirm."""
    for result in check_all(user, today=today):
        a, c = result.agreement, result.commitment
        if result.status in SEVERITY:
            yield Attention(
                source="commitments",
                key=f"commitment:{c.pk}:{result.status}",
                label=_("%(agreement)s — %(commitment)s: %(verdict)s")
                % {"agreement": a, "commitment": c, "verdict": VERDICT_LABELS[result.status]},
                url=_url(a),
                due=_due(result.next_by),
                severity=SEVERITY[result.status],
                owner_id=a.owner_id,
                threshold=result.status,
            )
        for observed in result.suggested:
            yield Attention(
                source="commitments",
                key=f"commitment:{c.pk}:suggested:{observed.activity_id}",
                label=_("Does «%(activity)s» fulfil «%(commitment)s»? Confirm or reject.")
                % {"activity": observed.title_en, "commitment": c},
                url=_url(a),
                owner_id=a.owner_id,
                threshold="suggested",
            )


def _due(by: str | None) -> datetime.date | None:
    if not by:
        return None
    return datetime.date(int(by[:4]), 12, 31) if len(by) == 4 else datetime.date.fromisoformat(by)


def agreement_items(user, today: datetime.date) -> Iterator[Attention]:
    """Agreements in force whose end is within 180, 90 or 30 days; renewal decisions due."""
    rows = (
        Activity.objects.restrict(user, "view")
        .filter(kind=Kind.AGREEMENT, status__in=(AgreementStatus.SIGNED, AgreementStatus.ACTIVE))
        .exclude(end="")
        .filter(end__gte=today.isoformat()[:4])
        .order_by("end", "pk")
    )
    for agreement in rows:
        term = agreements.term(agreement, today)
        if term.expires_in is None:
            continue
        reached = [t for t in EXPIRY_THRESHOLDS if term.expires_in <= t]
        if reached:
            step = min(reached)
            yield Attention(
                source="agreements",
                key=f"agreement:{agreement.pk}:expires",
                label=_("%(agreement)s expires in %(days)d days.")
                % {"agreement": agreement, "days": term.expires_in},
                url=_url(agreement),
                due=term.end,
                severity="danger" if step == 30 else "warning" if step == 90 else "info",
                owner_id=agreement.owner_id,
                threshold=str(step),
            )
        if term.decision_by and term.decision_by - today <= datetime.timedelta(days=90):
            yield Attention(
                source="agreements",
                key=f"agreement:{agreement.pk}:renewal-decision",
                label=_("%(agreement)s: decide whether to renew by %(date)s.")
                % {"agreement": agreement, "date": term.decision_by.isoformat()},
                url=_url(agreement),
                due=term.decision_by,
                severity="danger" if term.decision_by < today else "warning",
                owner_id=agreement.owner_id,
                threshold="overdue" if term.decision_by < today else "90",
            )
