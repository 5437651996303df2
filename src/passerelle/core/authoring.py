"""Who may change which record: contributors their own drafts, editors what they read.

A contributor's new record is a draft that they own; they change it until an
editor publishes it, and change nothing else. Editors and administrators
create published records, change any record they may read, and publish
drafts. The back office and the API both ask here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Record

#: The permission to publish drafts (editors and administrators hold it).
PUBLISH = "core.publish_record"


def publishes(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PUBLISH))


def may_change(user, record: Record) -> bool:
    """Whether ``user`` may change (or delete, with that permission) ``record``.

    The model permission is checked apart, by Django or the API; this adds the
    draft rule for those without the right to publish.
    """
    if publishes(user):
        return True
    return bool(record.draft and record.owner_id is not None and record.owner_id == user.pk)


def start(record: Record, user) -> None:
    """Stamp a record someone is creating: they own it, and it is a draft unless they
    may publish it themselves."""
    if record.owner_id is None and user is not None and user.is_authenticated:
        record.owner = user
    if not publishes(user):
        record.draft = True


def publish(records: Iterable[Record]) -> int:
    """Publish drafts (each saved, so its history says who published it and when)."""
    published = 0
    for record in records:
        if record.draft:
            record.draft = False
            record.save(update_fields=["draft", "updated"])
            published += 1
    return published
