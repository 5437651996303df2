"""Follow-up actions: what makes one complete, and which ones need their owner now.

Shared by the model's ``clean()`` (the back office, the API, imports) and the desk
(``core.desk``), which lists the open actions due within :data:`DUE_SOON` days or past
their date, to their owner, as far as the reader may read the delegation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from passerelle.core.desk import Attention
from passerelle.core.users import AnyUser

from .vocabulary import FollowUpStatus

#: An open action shows on the desk this many days before it is due.
DUE_SOON = 14


def follow_up_problems(action) -> dict[str, str]:
    """Why a follow-up action cannot be saved as it stands, by field."""
    problems: dict[str, str] = {}
    where = action.delegation if action.delegation_id else "?"
    label = action.action_en or action.action_fr or "?"
    if not action.owner_id:
        problems["owner"] = _(
            "«%(delegation)s»: the follow-up action «%(action)s» has no owner; name who carries it."
        ) % {"delegation": where, "action": label}
    if action.status == FollowUpStatus.DONE and not action.closed_on:
        problems["closed_on"] = _(
            "«%(delegation)s»: the follow-up action «%(action)s» is done; say on which day."
        ) % {"delegation": where, "action": label}
    if action.status == FollowUpStatus.OPEN and action.closed_on:
        problems["closed_on"] = _(
            "«%(delegation)s»: the follow-up action «%(action)s» is still open; it has no "
            "closing day."
        ) % {"delegation": where, "action": label}
    if action.result_id and action.status != FollowUpStatus.DONE:
        problems["result"] = _(
            "«%(delegation)s»: only a done action led to an activity; mark «%(action)s» done "
            "or leave “led to” empty."
        ) % {"delegation": where, "action": label}
    if action.result_id and action.result_id == action.delegation_id:
        problems["result"] = _(
            "«%(delegation)s»: a follow-up action cannot lead to its own delegation."
        ) % {"delegation": where}
    return problems


def follow_up_owners() -> set[int]:
    """Who owns an open follow-up action (``core.desk.DeskSource.owners``)."""
    from django.apps import apps

    rows = apps.get_model("activities", "FollowUp").objects.filter(status=FollowUpStatus.OPEN)
    return set(rows.values_list("owner_id", flat=True).order_by().distinct()) - {None}


def due_follow_ups(user: AnyUser, today: datetime.date) -> Iterator[Attention]:
    """The desk's items: open actions due within DUE_SOON days or overdue, that ``user``
    reads (those of a delegation they cannot read are not even counted)."""
    from django.apps import apps  # the models import this module: no import of them here

    actions = (
        apps.get_model("activities", "FollowUp")
        .objects.restrict(user, "view")
        .filter(status=FollowUpStatus.OPEN, due__lte=today + datetime.timedelta(days=DUE_SOON))
        .select_related("delegation")
        .order_by("due", "pk")
    )
    for action in actions:
        overdue = action.due < today
        yield Attention(
            source="follow_ups",
            key=f"follow_up:{action.pk}:due",
            label=(
                _("Overdue: %(action)s (%(delegation)s)")
                if overdue
                else _("Due soon: %(action)s (%(delegation)s)")
            )
            % {"action": action.action, "delegation": action.delegation},
            url=reverse("admin:activities_followup_change", args=[action.pk]),
            due=action.due,
            severity="danger" if overdue else "warning",
            owner_id=action.owner_id,
            threshold="overdue" if overdue else "due",
        )
