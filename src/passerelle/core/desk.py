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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .users import AnyUser

#: How urgent an item is, from least to most.
SEVERITIES = ("info", "warning", "danger")


@dataclass(frozen=True)
class Attention:
    """One thing that needs action, as the desk lists it and a reminder sends it.

    ``key`` is stable across runs ("agreement:12:expires"), so that a reminder records
    what it sent and a rerun sends nothing twice; ``threshold`` names the step reached
    ("90" days before an end, "overdue"), one reminder per key and threshold."""

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
    function that lists its items for a user on a day."""

    name: str
    heading: object
    items: Source
    order: int = 100


_sources: dict[str, DeskSource] = {}


def register_source(name: str, heading: object, items: Source, *, order: int = 100) -> None:
    """Put a source on the desk. Registering a name again replaces it (an app's
    ``ready()`` may run twice in tests)."""
    _sources[name] = DeskSource(name, heading, items, order)


def desk_sources() -> list[DeskSource]:
    """The registered sources in the desk's order."""
    return sorted(_sources.values(), key=lambda source: (source.order, source.name))
