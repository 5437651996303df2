"""Agreements about to end, for the desk: what exists before the agreements' lifecycle.

An agreement in force (signed or active) whose end falls within 180 days needs a
decision: renew it, or let it expire. Reminders go at 180, 90 and 30 days before the
end (CiviCRM's scheduled reminders), and once more when the end has passed without a
renewal or a new status. An end known to the month or the year ends on its last day.

This source is registered as a *fallback* under the name "agreements": the agreements'
own lifecycle (renewal decisions, notice periods) registers a richer source of that name,
which replaces it whichever app starts first (core.desk.register_source).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from passerelle.core.dates import PartialDate
from passerelle.core.desk import Attention
from passerelle.core.users import AnyUser

from .models import Activity
from .vocabulary import Kind, LinkRelation

#: Days before an agreement's end at which it is reminded, and the desk's severity then.
THRESHOLDS = ((30, "danger"), (90, "warning"), (180, "info"))
#: How long after its end an agreement still in force stays on the desk.
ENDED_GRACE_DAYS = 90
IN_FORCE = ("signed", "active")


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


def agreements_expiring(user: AnyUser, today: datetime.date) -> Iterator[Attention]:
    """Agreements in force that ``user`` reads, ending within 180 days or just ended."""
    horizon = today + datetime.timedelta(days=THRESHOLDS[-1][0])
    earliest = today - datetime.timedelta(days=ENDED_GRACE_DAYS)
    rows = (
        Activity.objects.restrict(user, "view")
        .filter(kind=Kind.AGREEMENT, status__in=IN_FORCE)
        # partial dates sort as text: a coarse window in SQL, the exact one below
        .filter(end__gte=str(earliest.year), end__lte=horizon.isoformat())
        .exclude(links_in__relation=LinkRelation.RENEWS)
        .only("pk", "title_en", "title_fr", "end", "owner")
        .order_by("end", "pk")
    )
    head, tail = reverse("admin:activities_activity_change", args=[0]).rsplit("/0/", 1)
    for agreement in rows:
        try:
            end = PartialDate.parse(agreement.end)
        except ValueError:
            continue
        days_left = (end.last_day - today).days
        reached = expiry_threshold(days_left)
        if reached is None:
            continue
        threshold, severity = reached
        label = _("«%(agreement)s» ended (%(end)s): renew it or record its expiry")
        if days_left >= 0:
            label = _("«%(agreement)s» ends (%(end)s): decide on its renewal")
        yield Attention(
            source="agreements",
            key=f"agreement:{agreement.pk}:expires",
            label=label % {"agreement": agreement, "end": end.display()},
            url=f"{head}/{agreement.pk}/{tail}",
            due=end.last_day,
            severity=severity,
            owner_id=agreement.owner_id,
            threshold=threshold,
        )
