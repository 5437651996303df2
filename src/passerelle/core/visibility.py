"""Who may read what, decided in one place.

A record is public when its own visibility says so. A participation is public
only when it, its activity and its actor all are: a confidential partner never
shows through an activity that is public, and an internal activity never shows
through a public partner's page.

Signed-in staff read public and internal records. A confidential record is read
by its owner, by the users and groups named as its readers, and by those who
may read every record (administrators). A confidential participation is read
by whoever may read its activity's confidential side: the activity's owner and
readers. The portal, the API, the back office, search, the exports and the map
all ask here.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from .models import Reader, Record, Visibility

PUBLIC = Visibility.PUBLIC
INTERNAL = Visibility.INTERNAL
CONFIDENTIAL = Visibility.CONFIDENTIAL

#: The permission that lifts the reader lists (the administrator role holds it).
READ_EVERY_RECORD = "core.read_every_record"


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


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def reads_every_record(user) -> bool:
    return _is_staff(user) and user.has_perm(READ_EVERY_RECORD)


def _named_reader(user, model: type[Model], pk_path: str) -> Exists:
    """EXISTS: the user, or one of their groups, is a reader of the record at ``pk_path``."""
    return Exists(
        Reader.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef(pk_path),
        ).filter(Q(user=user) | Q(group__in=user.groups.all()))
    )


def _confidential_side(user, model: type[Model], prefix: str = "") -> Q:
    """The records at ``prefix`` whose confidential side this (staff) user reads."""
    return Q(**{f"{prefix}owner": user}) | Q(_named_reader(user, model, f"{prefix}pk"))


def _readable(user, model: type[Model], prefix: str = "") -> Q:
    """The records at ``prefix`` this (staff) user reads."""
    return Q(**{f"{prefix}visibility__in": (PUBLIC, INTERNAL)}) | _confidential_side(
        user, model, prefix
    )


def visible_to(queryset: QuerySet, user) -> QuerySet:
    """The records of a queryset that a user may read."""
    if not _is_staff(user):
        return public(queryset)
    if reads_every_record(user):
        return queryset
    return queryset.filter(_readable(user, queryset.model))


def participations_visible_to(queryset: QuerySet, user) -> QuerySet:
    """The participations a user may read: their activity and actor readable, and a
    confidential participation only by those who read its activity's confidential side."""
    if not _is_staff(user):
        return public_participations(queryset)
    if reads_every_record(user):
        return queryset
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization, Person

    return queryset.filter(
        _readable(user, Activity, "activity__"),
        Q(organization__isnull=True) | _readable(user, Organization, "organization__"),
        Q(person__isnull=True) | _readable(user, Person, "person__"),
        ~Q(visibility=CONFIDENTIAL) | _confidential_side(user, Activity, "activity__"),
    )


def entries_visible_to(queryset: QuerySet, user) -> QuerySet:
    """Rows that stand for records elsewhere (search entries: ``content_type``, ``object_id``,
    and a copy of the record's ``visibility`` and ``owner_id``), by the same rule."""
    if not _is_staff(user):
        return queryset.filter(visibility=PUBLIC)
    if reads_every_record(user):
        return queryset
    named = Exists(
        Reader.objects.filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        ).filter(Q(user=user) | Q(group__in=user.groups.all()))
    )
    return queryset.filter(Q(visibility__in=(PUBLIC, INTERNAL)) | Q(owner_id=user.pk) | Q(named))


def can_read(record: Record | None, user) -> bool:
    """Whether a user may read one record already in hand (asks the database once at most)."""
    if record is None:
        return False
    if record.visibility == PUBLIC:
        return True
    if not _is_staff(user):
        return False
    if record.visibility == INTERNAL or reads_every_record(user) or record.owner_id == user.pk:
        return True
    return visible_to(type(record).objects.filter(pk=record.pk), user).exists()
