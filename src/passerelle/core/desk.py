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
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

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
#: Who owns the items a source may list (user ids), for the reminders (``DeskSource``).
Owners = Callable[[], Collection[int]]


@dataclass(frozen=True)
class DeskSource:
    """A registered source: its name, its heading on the desk (lazy, translated) and the
    function that lists its items for a user on a day.

    A ``cached`` source's items are kept until the records change (``core.changes``): say
    so only of a source that reads nothing but the watched apps' records, the day and its
    user's rights. A ``slow`` one (the commitment checker, which reads every agreement's
    activities) is drawn up again by a task after a change, the desk showing its last
    list meanwhile; the others are drawn up again by the next desk that asks.

    ``owners`` answers who owns any item the source may list, or, absent, that anyone may:
    a reminder goes to someone who decides nothing (a viewer, a contributor) only for what
    they own, so the reminders ask them only the sources where they own something (the
    commitment checker's run for each of them was most of a reminder run). Owning more
    than the list shows is harmless: the source is then asked, and answers as ever."""

    name: str
    heading: object
    items: Source
    order: int = 100
    cached: bool = False
    slow: bool = False
    owners: Owners | None = None


_sources: dict[str, DeskSource] = {}


def register_source(
    name: str,
    heading: object,
    items: Source,
    *,
    order: int = 100,
    cached: bool = False,
    slow: bool = False,
    owners: Owners | None = None,
) -> None:
    """Put a source on the desk (see :class:`DeskSource` for ``cached``, ``slow`` and
    ``owners``). Registering a name again replaces it (an app's ``ready()`` may run twice
    in tests)."""
    _sources[name] = DeskSource(name, heading, items, order, cached or slow, slow, owners)


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
    #: For a cached source shown from an earlier version of the records: when it was drawn up.
    as_of: datetime.datetime | None = None
    #: How many items there are, where ``items`` holds only the first of them.
    total: int | None = None

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total

    @property
    def severity(self) -> str:
        """The most urgent severity of its items ("info" when empty)."""
        return self.items[0].severity if self.items else "info"


def gather(
    user: AnyUser,
    today: datetime.date | None = None,
    *,
    whole: bool = True,
    sources: Iterable[DeskSource] | None = None,
) -> list[DeskSection]:
    """Every source's items (or those of ``sources``) for ``user`` on ``today``. A source
    that fails is shown as failed (and logged) rather than taking the desk down with it.
    ``whole=False`` (the desk's pages): a cached source may give only its first
    :data:`HEAD` items, with the count of them all."""
    today = today or timezone.localdate()
    sections = []
    for source in desk_sources() if sources is None else sources:
        try:
            items, as_of, total = _items(source, user, today, whole)
        except Exception:
            logger.exception("desk source %s failed", source.name)
            sections.append(DeskSection(source, [], failed=True))
            continue
        sections.append(DeskSection(source, items, as_of=as_of, total=total))
    return sections


#: How many of a cached source's items the desk's pages read (the whole desk shows as many).
HEAD = 500


def _items(source: DeskSource, user: AnyUser, today: datetime.date, whole: bool) -> tuple:
    """A source's items, for a cached source shown from an earlier version of the records
    the time they were drawn up (None when they are current), and their count when only the
    first are given.

    A cached source is drawn up once per records' version: after an edit, the desk shows
    the last list with its time at once, and a task draws up the new one (checking every
    agreement of a large network takes seconds, and staff edit all day). Only a reader's
    very first desk waits for it. The first :data:`HEAD` items are kept apart from the
    rest: a desk page unpickles those, not the tens of thousands a large network may have."""
    if not source.cached:
        return sorted(source.items(user, today), key=_sort_key), None, None
    key = _cache_key(source.name, user, today)
    version = content_version()
    if whole:
        kept = cache.get(f"{key}:whole")
        if kept is not None and kept[0] == version:
            return kept[1], None, None
        return draw_up(source, user, today), None, None
    kept = cache.get(key)
    if kept is not None and kept[0] == version:
        return kept[3], None, kept[2]
    if kept is not None and source.slow and getattr(user, "pk", None) is not None:
        if cache.add(f"{key}:asked:{version}", True, timeout=CACHE_SECONDS):
            draw_up_desk_source.enqueue(source.name, user.pk, get_language(), today.isoformat())
        kept = cache.get(key, kept)  # an immediate task may have drawn it up already
        return kept[3], (None if kept[0] == version else kept[1]), kept[2]
    items = draw_up(source, user, today)
    return items[:HEAD], None, len(items)


def draw_up(source: DeskSource, user: AnyUser, today: datetime.date) -> list[Attention]:
    """Ask a cached source for its items and keep them under the records' version read
    before asking (a change meanwhile makes them stale, not wrong)."""
    version = content_version()
    items = sorted(source.items(user, today), key=_sort_key)
    key = _cache_key(source.name, user, today)
    head = (version, timezone.now(), len(items), items[:HEAD])
    cache.set_many({key: head, f"{key}:whole": (version, items)}, timeout=CACHE_SECONDS)
    return items


@task()
def draw_up_desk_source(name: str, user_pk: int, language: str, today: str) -> int:
    """Draw up a cached source's items for one reader after the records changed, on the
    task queue (settings.TASKS): the reader's next desk shows them. Returns their count."""
    source = _sources.get(name)
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if source is None or user is None:
        return 0
    with translation.override(language):
        return len(draw_up(source, user, datetime.date.fromisoformat(today)))


def _cache_key(name: str, user: AnyUser, today: datetime.date) -> str:
    return ":".join(("desk", name, _reader_key(user), get_language() or "", today.isoformat()))


#: How long a cached source's items are kept at most.
CACHE_SECONDS = 24 * 3600


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
