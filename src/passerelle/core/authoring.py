"""Who may change which record: contributors their own drafts, editors what they read.

A contributor's new record is a draft that they own; they change it until an
editor publishes it, and change nothing else. Editors and administrators
create published records, change any record they may read, and publish
drafts. The back office and the API both ask here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from .models import Record
from .querysets import PUBLISH, holds, publishes, rule_of
from .users import AnyUser

__all__ = ["PUBLISH", "may_add", "may_change", "publish", "publishes", "start"]


def may_change(user: AnyUser, obj: Model | None, action: str = "change") -> bool:
    """Whether ``user`` may change (or, with ``action="delete"``, delete) ``obj``: the one
    decision every write path asks, the back office, the API, imports and merges.

    It needs an active staff user holding the model permission, then the rule of the
    row's own model (core.querysets): a contributor changes only its own drafts, and
    what hangs off them; an editor what it reads, save what composes the public
    site, which needs the right to publish; an administrator everything.
    """
    if obj is None or not holds(user, type(obj), action):
        return False
    rule = rule_of(type(obj))
    return rule is not None and rule.allows(user, obj, "change")


def may_add(user: AnyUser, model: type[Model]) -> bool:
    """Whether ``user`` may add rows of ``model`` at all (which rows: ``may_change`` on
    the new row, whose holders it must be allowed to change)."""
    from .querysets import EditorialQuerySet

    if not holds(user, model, "add"):
        return False
    rule = rule_of(model)
    return not (rule is not None and issubclass(rule, EditorialQuerySet) and not publishes(user))


def start(record: Record, user: AnyUser) -> None:
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
