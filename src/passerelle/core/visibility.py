"""What the public may see, decided in one place.

A record is public when its own visibility says so. A participation is public
only when it, its activity and its actor all are: a confidential partner never
shows through an activity that is public, and an internal activity never shows
through a public partner's page. The portal, the anonymous API, search, the
exports and the map all ask here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Record, Visibility

PUBLIC = Visibility.PUBLIC


def is_public(record: Record | None) -> bool:
    """Whether one record already in hand may be shown (a place, a parent, a topic…)."""
    return record is not None and record.visibility == PUBLIC


def public(queryset: QuerySet) -> QuerySet:
    """The public records of a queryset of records (places, organizations, activities…)."""
    return queryset.filter(visibility=PUBLIC)


def public_participations(queryset: QuerySet) -> QuerySet:
    """Participations whose participation, activity and actor are all public."""
    return queryset.filter(
        Q(visibility=PUBLIC, activity__visibility=PUBLIC)
        & (Q(organization__visibility=PUBLIC) | Q(person__visibility=PUBLIC))
    )


def _reads_everything(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def visible_to(queryset: QuerySet, user) -> QuerySet:
    """The records a user may read: staff read every one, as in the back office; anyone
    else, the public ones (the API and anything else that serves both)."""
    return queryset if _reads_everything(user) else public(queryset)


def participations_visible_to(queryset: QuerySet, user) -> QuerySet:
    return queryset if _reads_everything(user) else public_participations(queryset)
