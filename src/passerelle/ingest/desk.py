"""Import conflicts to review, for the desk: fields staff edited that the registry changed.

A re-import keeps the staff's value and records the registry's (ingest.ror); someone
must look at it. The desk lists one item per organization, with the fields at stake,
linked to that organization's open conflicts; one query, whatever their number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from passerelle.core.desk import Attention
from passerelle.core.users import AnyUser

from .models import ImportConflict


def import_conflicts(user: AnyUser, today: datetime.date) -> Iterator[Attention]:
    """The open conflicts ``user`` reads, one item per organization."""
    rows = (
        ImportConflict.objects.restrict(user, "view")
        .filter(resolved=False)
        .select_related("organization")
        .order_by("pk")  # the conflicts first (few), their organizations by key
    )
    grouped: dict[int, list[ImportConflict]] = {}
    for conflict in rows:
        grouped.setdefault(conflict.organization_id, []).append(conflict)
    changelist = reverse("admin:ingest_importconflict_changelist")
    for organization_id, conflicts in grouped.items():
        first = conflicts[0]
        fields = ", ".join(sorted({c.field for c in conflicts}))
        yield Attention(
            source="import_conflicts",
            key=f"import-conflicts:{organization_id}:{max(c.pk for c in conflicts)}",
            label=_("%(organization)s: the registry (%(registry)s) changed %(fields)s")
            % {
                "organization": first.organization,
                "registry": first.registry.upper(),
                "fields": fields,
            },
            url=f"{changelist}?organization__id__exact={organization_id}&resolved__exact=0",
            due=timezone.localdate(first.detected),
            severity="warning",
            threshold="open",
        )
