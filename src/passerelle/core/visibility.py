"""Who may read what, decided in one place.

A record is public when its own visibility says so. A participation is public
only when it, its activity and its actor all are: a confidential partner never
shows through an activity that is public, and an internal activity never shows
through a public partner's page.

Signed-in staff read public and internal records. A confidential record is read
by its owner, by the users and groups named as its readers, and by those who
may read every record (administrators). A confidential participation is read
by whoever may read its activity's confidential side: the activity's owner and
readers. The rule itself is the managers' (``Model.objects.restrict(user, action)``,
core.querysets, each app owning its models' rules); these functions are the
short names the portal, the API, search and the exports use.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Reader, Record, Visibility
from .querysets import READ_EVERY_RECORD, RecordQuerySet, is_staff, reads_every_record
from .users import AnyUser

PUBLIC = Visibility.PUBLIC
INTERNAL = Visibility.INTERNAL
CONFIDENTIAL = Visibility.CONFIDENTIAL

__all__ = ["READ_EVERY_RECORD", "reads_every_record"]


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


def visible_to(queryset: QuerySet, user: AnyUser) -> QuerySet:
    """The rows of a queryset that a user may read: the rule of the queryset's own model
    (``Model.objects.restrict(user, "view")``, see core.querysets)."""
    return queryset.restrict(user, "view")


#: Participations are read by their own rule (activities.rules); the same call.
participations_visible_to = visible_to


def entries_visible_to(queryset: QuerySet, user: AnyUser) -> QuerySet:
    """Rows that stand for records elsewhere (search entries: ``content_type``, ``object_id``,
    and a copy of the record's ``visibility`` and ``owner_id``), by the same rule."""
    if not is_staff(user):
        return queryset.filter(visibility=PUBLIC)
    if reads_every_record(user):
        return queryset
    named = Exists(
        Reader.objects.filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        ).filter(Q(user=user) | Q(group__in=user.groups.all()))
    )
    return queryset.filter(Q(visibility__in=(PUBLIC, INTERNAL)) | Q(owner_id=user.pk) | Q(named))


def can_read(record: Record | None, user: AnyUser) -> bool:
    """Whether a user may read one record already in hand (asks the database once at most)."""
    return RecordQuerySet.readable(user, record)
