"""The desk's sources from agreements: commitments to act on, agreements near their end.

Registered by the app's ``ready()`` into ``core.desk``; each answers only what its user
reads (the checker and the agreement list go through ``restrict(user, "view")``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from passerelle.core.desk import Attention
from passerelle.core.models import localized

from . import agreements
from .commitments import VERDICT_LABELS, check_all
from .models import Activity
from .vocabulary import AgreementStatus, Kind, LinkRelation

SEVERITY = {"due": "info", "late": "warning", "broken": "danger"}


def _url(agreement) -> str:
    return reverse("admin:activities_activity_change", args=[agreement.pk])


def commitment_items(user, today: datetime.date) -> Iterator[Attention]:
    """Commitments due, late or broken, and those with fulfilments the rule suggests, to
    confirm or reject on the agreement's page."""
    # one reverse() and one translation for all: a large network has tens of thousands
    head, tail = reverse("admin:activities_activity_change", args=[0]).rsplit("/0/", 1)
    verdict = {status: str(VERDICT_LABELS[status]) for status in SEVERITY}
    wording = _("%(agreement)s — %(commitment)s: %(verdict)s")
    language = (get_language() or "en")[:2]  # asked once: each ask reads a thread-local
    for result in check_all(user, today=today):
        a, c = result.agreement, result.commitment
        url = f"{head}/{a.pk}/{tail}"
        if result.status in SEVERITY:
            names = {"agreement": localized(a, "title", language), "commitment": c}
            yield Attention(
                source="commitments",
                key=f"commitment:{c.pk}:{result.status}",
                label=wording % {**names, "verdict": verdict[result.status]},
                url=url,
                due=_due(result.next_by),
                severity=SEVERITY[result.status],
                owner_id=a.owner_id,
                threshold=result.status,
            )
        suggested = result.suggested
        if suggested:  # one item per commitment: a hub's agreement may have hundreds
            yield Attention(
                source="commitments",
                key=f"commitment:{c.pk}:suggested",
                label=ngettext(
                    "%(agreement)s — %(commitment)s: %(count)d activity found by the rule "
                    "awaits confirmation (%(first)s).",
                    "%(agreement)s — %(commitment)s: %(count)d activities found by the rule "
                    "await confirmation (first: %(first)s).",
                    len(suggested),
                )
                % {
                    "agreement": a,
                    "commitment": c,
                    "count": len(suggested),
                    "first": suggested[0].title_fr
                    if get_language() == "fr" and suggested[0].title_fr
                    else suggested[0].title_en,
                },
                url=url,
                owner_id=a.owner_id,
                threshold="suggested",
            )


def agreement_owners() -> set[int]:
    """Who owns an agreement: the only people, besides those who decide, that the
    agreements' and commitments' items are mailed to (``core.desk.DeskSource.owners``)."""
    rows = Activity.objects.filter(kind=Kind.AGREEMENT, owner__isnull=False)
    return set(rows.values_list("owner_id", flat=True).order_by().distinct())


def _due(by: str | None) -> datetime.date | None:
    if not by:
        return None
    return datetime.date(int(by[:4]), 12, 31) if len(by) == 4 else datetime.date.fromisoformat(by)


#: Days before an agreement's end at which it is reminded, and the desk's severity then
#: (CiviCRM's scheduled reminders: 180, 90 and 30 days before an end).
THRESHOLDS = ((30, "danger"), (90, "warning"), (180, "info"))
#: How long after its end an agreement still in force, and not renewed, stays on the desk.
ENDED_GRACE_DAYS = 90


def expiry_threshold(days_left: int) -> tuple[str, str] | None:
    """The threshold reached ``days_left`` days before an end, and its severity; None when
    the end is further than the first threshold or longer past than the grace."""
    if days_left < -ENDED_GRACE_DAYS:
        return None
    if days_left < 0:
        return "ended", "danger"
    for days, severity in THRESHOLDS:
        if days_left <= days:
            return str(days), severity
    return None


def agreement_items(user, today: datetime.date) -> Iterator[Attention]:
    """Agreements in force, not renewed, that end within 180 days or ended less than 90
    days ago with no step recorded since; renewal decisions due by the notice period."""
    earliest = today - datetime.timedelta(days=ENDED_GRACE_DAYS)
    horizon = today + datetime.timedelta(days=THRESHOLDS[-1][0])
    rows = (
        Activity.objects.restrict(user, "view")
        .filter(kind=Kind.AGREEMENT, status__in=(AgreementStatus.SIGNED, AgreementStatus.ACTIVE))
        # partial dates sort as text: a coarse window in SQL, the exact one below
        .filter(end__gte=str(earliest.year), end__lte=horizon.isoformat())
        .exclude(links_in__relation=LinkRelation.RENEWS)
        .order_by("end", "pk")
    )
    for agreement in rows:
        try:
            term = agreements.term(agreement, today)
        except ValueError:  # a date the record's own validation refuses: not ours to judge
            continue
        reached = expiry_threshold((term.end - today).days) if term.end else None
        if reached is not None:
            threshold, severity = reached
            days = (term.end - today).days
            label = (
                _("%(agreement)s expires in %(days)d days: decide on its renewal.")
                if days >= 0
                else _("%(agreement)s ended on %(end)s: renew it or record its expiry.")
            )
            yield Attention(
                source="agreements",
                key=f"agreement:{agreement.pk}:expires",
                label=label % {"agreement": agreement, "days": days, "end": term.end.isoformat()},
                url=_url(agreement),
                due=term.end,
                severity=severity,
                owner_id=agreement.owner_id,
                threshold=threshold,
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
