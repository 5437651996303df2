"""Who reads and changes participations, commitments and links between activities.

A participation is read when its activity and its actor are; a confidential
participation only by those who read its activity's confidential side (the
activity's owner and readers): a confidential tie between a public activity and
a public partner stays among the people of that activity. It is changed by
whoever may change its activity, so that what hangs off a published activity is
changed by editors only. See core.querysets for the shape of these rules.
"""

from __future__ import annotations

from django.db.models import Q

from passerelle.core.querysets import (
    DependentQuerySet,
    is_staff,
    named_reader,
    reads_every_record,
)
from passerelle.core.users import AnyUser


class ParticipationQuerySet(DependentQuerySet):
    holders = ("activity",)
    references = ("organization", "person")

    @classmethod
    def rule(cls, user: AnyUser, model, action, prefix=""):
        if not is_staff(user):
            return Q(
                **{f"{prefix}visibility": "public", f"{prefix}activity__visibility": "public"}
            ) & (
                Q(**{f"{prefix}organization__visibility": "public"})
                | Q(**{f"{prefix}person__visibility": "public"})
            )
        condition = super().rule(user, model, action, prefix)
        if reads_every_record(user):
            return condition
        activity = model._meta.get_field("activity").related_model
        confidential_side = Q(**{f"{prefix}activity__owner": user}) | Q(
            named_reader(user, activity, f"{prefix}activity__pk")
        )
        return condition & (~Q(**{f"{prefix}visibility": "confidential"}) | confidential_side)


class CommitmentQuerySet(DependentQuerySet):
    holders = ("agreement",)


class ActivityLinkQuerySet(DependentQuerySet):
    holders = ("subject",)
    references = ("object",)


class DelegationPartQuerySet(DependentQuerySet):
    """A delegation's agenda items and follow-up actions: read by whoever reads the
    delegation, changed by whoever may change it. Someone who cannot read a confidential
    delegation sees none of them, on any door."""

    holders = ("delegation",)
