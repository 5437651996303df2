"""What pages read: the stored measures, fresh or stale, never computed while they wait.

:func:`current` answers the stored result of a scope and year; when the records have
changed since it was computed (or nothing is stored yet) it asks the task queue for a new
one — once per records' version, however many readers open the page meanwhile — and the
page shows the stale result with its age until the new one replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from passerelle.core.changes import content_version

from .models import NetworkMeasures
from .store import check_scope
from .tasks import compute_measures

#: How long a request for recomputation holds before another may be made (a lost worker).
QUEUED_FOR = 15 * 60


@dataclass(frozen=True)
class Stored:
    """A stored result as a page sees it: the row, and whether the records changed since."""

    measures: NetworkMeasures | None
    stale: bool
    queued: bool

    @property
    def age_seconds(self) -> float | None:
        if self.measures is None:
            return None
        return (timezone.now() - self.measures.computed_at).total_seconds()


def current(scope: str, year: int = 0) -> Stored:
    """The stored result for a page, never computed here; a new one is asked for when the
    records changed since it was computed."""
    check_scope(scope, year)
    stored = NetworkMeasures.objects.filter(scope=scope, year=year).first()
    version = content_version()
    if stored is not None and stored.version == version:
        return Stored(stored, stale=False, queued=False)
    queued = request_recomputation(scope, year, version)
    if queued:  # an immediate backend has computed it already
        fresh = NetworkMeasures.objects.filter(scope=scope, year=year, version=version).first()
        if fresh is not None:
            return Stored(fresh, stale=False, queued=False)
    return Stored(stored, stale=True, queued=True)


def request_recomputation(scope: str, year: int, version: str | None = None) -> bool:
    """Ask the queue for the measures of this version, unless already asked; whether asked
    now."""
    version = version or content_version()
    if not cache.add(f"insights:queued:{scope}:{year}:{version}", True, timeout=QUEUED_FOR):
        return False
    compute_measures.enqueue(scope, year)
    return True
