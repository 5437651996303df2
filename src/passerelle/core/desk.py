"""What needs the officer's action, gathered from the apps that know it.

The back office opens on a desk: agreements about to expire, commitments late, follow-up
actions overdue, drafts awaiting an editor, import conflicts. Each of these belongs to
the app that owns its records (``activities`` knows agreements, ``ingest`` knows import
conflicts), and ``core`` is below them all; so each app registers a *source* here when it
starts (``AppConfig.ready()``), and the desk and the reminders read every source through
one function. A source answers only what its user may read: it filters with the
records' own ``restrict(user, "view")``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .changes import content_version
from .users import AnyUser

logger = logging.getLogger(__name__)

#: How urgent an item is, from least to most.
SEVERITIES = ("info", "warning", "danger")


@dataclass(frozen=True)
class Attention:
    """One thing that needs action, as the desk lists it and a reminder sends it.

    ``key`` is stable across runs ("agreement:12:expires"), so that a reminder records
    what it sent and a rerun sends nothing twice; ``threshold`` names the step reached
    ("90" days before an end, "overdue"), one reminder per key and threshold. An item with
    no threshold is shown on the desk and never mailed. ``owner_id`` is the user a
    reminder goes to; without one (or when the owner cannot be mailed) it goes to the
    editors who read the item (core.reminders)."""

    source: str
    key: str
    label: str
    url: str
    due: datetime.date | None = None
    severity: str = "info"
    owner_id: int | None = None
    threshold: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r}: use one of {SEVERITIES}")


Source = Callable[[AnyUser, datetime.date], Iterable[Attention]]


@dataclass(frozen=True)
class DeskSource:
    """A registered source: its name, its heading on the desk (lazy, translated) and the
    function that lists its items for a user on a day.

    A ``cached`` source's items are kept until the records change (``core.changes``): say
    so only of a source that reads nothing but the watched apps' records and its user's
    rights (the commitment checker, which reads every agreement's activities, is one)."""

    name: str
    heading: object
    items: Source
    order: int = 100
    cached: bool = False


_sources: dict[str, DeskSource] = {}


def register_source(
    name: str, heading: object, items: Source, *, order: int = 100, cached: bool = False
) -> None:
    """Put a source on the desk. Registering a name again replaces it (an app's
    ``ready()`` may run twice in tests)."""
    _sources[name] = DeskSource(name, heading, items, order, cached)


def unregister_source(name: str) -> None:
    """Take a source off the desk (tests that register their own)."""
    _sources.pop(name, None)


def desk_sources() -> list[DeskSource]:
    """The registered sources in the desk's order."""
    return sorted(_sources.values(), key=lambda source: (source.order, source.name))


#: How the desk sorts items within a source: most urgent first, then the nearest due date.
_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}


def _sort_key(item: Attention) -> tuple:
    return (_RANK[item.severity], item.due or datetime.date.max, item.label)


@dataclass
class DeskSection:
    """One source's items for one user, sorted, with their count."""

    source: DeskSource
    items: list[Attention]
    failed: bool = False

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def severity(self) -> str:
        """The most urgent severity of its items ("info" when empty)."""
        return self.items[0].severity if self.items else "info"


def gather(user: AnyUser, today: datetime.date | None = None) -> list[DeskSection]:
    """Every source's items for ``user`` on ``today``. A source that fails is shown as
    failed (and logged) rather than taking the desk down with it."""
    today = today or timezone.localdate()
    sections = []
    for source in desk_sources():
        try:
            items = _items(source, user, today)
        except Exception:
            logger.exception("desk source %s failed", source.name)
            sections.append(DeskSection(source, [], failed=True))
            continue
        sections.append(DeskSection(source, items))
    return sections


def _items(source: DeskSource, user: AnyUser, today: datetime.date) -> list[Attention]:
    if not source.cached:
        return sorted(source.items(user, today), key=_sort_key)
    key = ":".join(
        ("desk", source.name, _reader_key(user), get_language() or "", today.isoformat(),
         content_version())
    )  # fmt: skip
    items = cache.get(key)
    if items is None:
        items = sorted(source.items(user, today), key=_sort_key)
        cache.set(key, items, timeout=CACHE_SECONDS)
    return items


#: How long a cached source's items are kept at most when no record changes.
CACHE_SECONDS = 3600


def _reader_key(user: AnyUser) -> str:
    """What decides what ``user`` reads besides the records' own readers (which are
    records, and renew the change clock): who they are, and their rights."""
    if not getattr(user, "is_authenticated", False):
        return "public"
    rights = ",".join(sorted(user.get_all_permissions()))
    digest = hashlib.blake2b(rights.encode(), digest_size=8).hexdigest()
    return f"{user.pk}-{int(user.is_active)}{int(user.is_staff)}{int(user.is_superuser)}-{digest}"


def days_word(days: int) -> str:
    """ "in 12 days", "today", "3 days ago", in the active language."""
    if days == 0:
        return str(_("today"))
    if days > 0:
        return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
    return ngettext("%(days)d day ago", "%(days)d days ago", -days) % {"days": -days}
