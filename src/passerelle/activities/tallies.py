"""Counts the network-wide pages read, kept with the records (issue 19).

Recounting a hub's 30,000 participations on every page computed after an edit is what
made France, the map and the network take a second on the medium set. These tables hold
the counts instead, for public records only (a participation counts when it, its activity
and its organization are public, as core.visibility says):

- an organization's public activities and participations (the network's nodes, a
  country's organizations, the map's examples);
- a place's public activities with partners based there outside the region (the map);
- two organizations' shared public activities (the network's links).

They change in the transaction that changes a participation, an activity, or the
visibility, place or region of an organization or a place: :func:`retally` compares what
was counted for the activities concerned (``TallyMember``) with what the records now say,
and applies the difference. Bulk loads, which bypass save(), rebuild them whole at the
end (``records_bulk_loaded``), as does ``passerelle rebuild-tallies``.

Concurrent writers (PostgreSQL; SQLite lets one writer in at a time): a retally first
locks its activities (:func:`_lock_activities`), so that two retallies of one activity
follow each other, the second reading what the first wrote; tally rows are created at
zero ignoring conflicts, then locked in key order and moved by ``F()`` updates
(:func:`_locked`), so that two transactions adding the same row never fail on its unique
key. One race is left: an organization's visibility, place or region (or a place's
visibility) changed while another transaction adds a participation of it. The change's
retally cannot see the participation not yet committed, and the participation's reads
the organization as it was; that activity's tallies stay off until its next retally or
``rebuild-tallies``.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import combinations

from django.db import connection, transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest

from passerelle.core.visibility import PUBLIC
from passerelle.registry.models import Organization

from .models import Participation
from .tally_models import OrganizationTally, PlaceTally, TallyMember, TieTally

logger = logging.getLogger(__name__)

#: Activities retallied per round of queries, and rows per statement.
CHUNK = 500
#: The first key of the tallies' advisory locks on PostgreSQL (``pg_advisory_xact_lock(
#: space, key)``), apart from any other use of those locks: one space per activity's
#: retally (the key is the activity's id, cut to 31 bits: two activities sharing a key
#: only wait for each other), one for the rebuild (key 0).
ACTIVITY_LOCK = 190_001
REBUILD_LOCK = 190_002
LOCK_KEY_MASK = 0x7FFF_FFFF
#: How many times a tally row deleted by another transaction is inserted again.
LOCK_ATTEMPTS = 20

Members = dict[tuple[int, int], tuple[int | None, int]]

#: Per thread and task (a ContextVar): one thread's bulk path does not stop another's.
_suspended: ContextVar[int] = ContextVar("passerelle_tallies_suspended", default=0)


@contextmanager
def suspended() -> Iterator[None]:
    """No incremental update inside (a bulk path saving records one by one); the caller
    rebuilds at the end."""
    token = _suspended.set(_suspended.get() + 1)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_suspended() -> bool:
    return _suspended.get() > 0


def _delete(queryset) -> None:
    """Delete without collecting the rows: a tally row is no record, and the post_delete
    signal of each one would renew every cached page (core.dependencies)."""
    queryset._raw_delete(queryset.db)


def _members_now(activity_ids: list[int] | None) -> Members:
    """(activity, organization) → (map place, public participations), from the records."""
    participations = Participation.objects.filter(
        visibility=PUBLIC,
        activity__visibility=PUBLIC,
        organization__visibility=PUBLIC,
    )
    if activity_ids is not None:
        participations = participations.filter(activity_id__in=activity_ids)
    rows = (
        participations.values("activity_id", "organization_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("activity_id", "organization_id", "n")
    )
    counted = {(a, o): n for a, o, n in rows}
    places = _map_places({o for _a, o in counted})
    return {(a, o): (places.get(o), n) for (a, o), n in counted.items()}


def _map_places(organization_ids: set[int]) -> dict[int, int]:
    """Where the map puts each organization: its public place, when outside the region."""
    found: dict[int, int] = {}
    ids = list(organization_ids)
    for start in range(0, len(ids), 5000):
        found.update(
            Organization.objects.filter(
                pk__in=ids[start : start + 5000],
                in_region=False,
                place__visibility=PUBLIC,
            ).values_list("pk", "place_id")
        )
    return found


def _by_activity(members: Members) -> dict[int, dict[int, tuple[int | None, int]]]:
    grouped: dict[int, dict[int, tuple[int | None, int]]] = defaultdict(dict)
    for (a, o), value in members.items():
        grouped[a][o] = value
    return grouped


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- one retally at a time for an activity (PostgreSQL; SQLite has one writer at a time)


def _lock_activities(ids: list[int]) -> None:
    """Wait until no other transaction is retallying these activities or rebuilding, and
    keep them until this transaction ends.

    Two transactions that both read an activity's ``TallyMember`` rows before either has
    committed would each apply their difference from the same old state: the second
    one's would count the first one's change again, or miss it. A transaction-level
    advisory lock per activity, taken before the rows are read, makes the second wait for
    the first's commit and then read what it wrote (each statement of READ COMMITTED
    reads what is committed when it starts). The locks are taken in one statement in the
    order of the ids, so two transactions wanting the same activities never wait for
    each other in a circle. A rebuild takes the rebuild lock whole; a retally shares it.
    """
    if connection.vendor != "postgresql" or not ids:
        return
    keys = sorted({pk & LOCK_KEY_MASK for pk in ids})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [REBUILD_LOCK])
        cursor.execute(
            "SELECT COUNT(pg_advisory_xact_lock(%s, k)) FROM unnest(%s::integer[]) AS k",
            [ACTIVITY_LOCK, keys],
        )


def _lock_for_rebuild() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [REBUILD_LOCK])


class Deltas:
    """What the activities retallied in one call change in the counts, applied once at
    the end so that each tally row is locked once, in order."""

    def __init__(self) -> None:
        self.activities: Counter = Counter()
        self.participations: Counter = Counter()
        self.places: Counter = Counter()
        self.ties: Counter = Counter()

    def add(self, before: dict, after: dict) -> None:
        """One activity's partners as last tallied and as the records say now."""
        for o in before.keys() - after.keys():
            self.activities[o] -= 1
        for o in after.keys() - before.keys():
            self.activities[o] += 1
        for o in before.keys() | after.keys():
            self.participations[o] += after.get(o, (None, 0))[1] - before.get(o, (None, 0))[1]
        places_before = {p for p, _n in before.values() if p}
        places_after = {p for p, _n in after.values() if p}
        for p in places_before - places_after:
            self.places[p] -= 1
        for p in places_after - places_before:
            self.places[p] += 1
        for pair in combinations(sorted(before), 2):
            self.ties[pair] -= 1
        for pair in combinations(sorted(after), 2):
            self.ties[pair] += 1

    def apply(self) -> None:
        """Organizations, then places, then ties: every transaction locks in this order."""
        organizations = {
            o: (self.activities[o], self.participations[o])
            for o in self.activities.keys() | self.participations.keys()
            if self.activities[o] or self.participations[o]
        }
        _apply(
            OrganizationTally,
            organizations,
            lambda o: OrganizationTally(organization_id=o, activities=0, participations=0),
            ("activities", "participations"),
        )
        _apply(
            PlaceTally,
            {p: (d,) for p, d in self.places.items() if d},
            lambda p: PlaceTally(place_id=p, activities=0),
            ("activities",),
        )
        _apply_ties({pair: d for pair, d in self.ties.items() if d})


def retally(activity_ids: Iterable[int]) -> None:
    """Bring the tallies of these activities up to what the records say now (an activity
    deleted counts as one without partners). Safe beside other transactions doing the
    same: see :func:`_lock_activities` and :func:`_locked`."""
    if is_suspended():
        return
    ids = sorted({int(pk) for pk in activity_ids if pk})
    if not ids:
        return
    with transaction.atomic():
        _lock_activities(ids)
        deltas = Deltas()
        for chunk in _chunks(ids):
            _retally_chunk(chunk, deltas)
        deltas.apply()


def _retally_chunk(ids: list[int], deltas: Deltas) -> None:
    old: Members = {
        (a, o): (p, n)
        for a, o, p, n in TallyMember.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "organization_id", "place_id", "participations"
        )
    }
    new = _members_now(ids)
    if old == new:
        return
    old_of, new_of = _by_activity(old), _by_activity(new)
    changed = [a for a in ids if old_of.get(a, {}) != new_of.get(a, {})]
    for a in changed:
        deltas.add(old_of.get(a, {}), new_of.get(a, {}))
    # the activities are locked (_lock_activities): no one else writes these rows meanwhile
    _delete(TallyMember.objects.filter(activity_id__in=changed))
    TallyMember.objects.bulk_create(
        TallyMember(activity_id=a, organization_id=o, place_id=p, participations=n)
        for a in changed
        for o, (p, n) in new_of.get(a, {}).items()
    )


def _locked(model: type, keys: list, make, rows_of) -> dict:
    """Lock the tally rows of these keys (sorted), creating the missing ones at zero;
    their pk and first count by key.

    Two transactions may both find a row missing: the insert ignores the conflict (the
    second waits for the first to commit, then inserts nothing) instead of failing on the
    unique key. A row another transaction emptied and deleted meanwhile is gone when the
    lock is granted: it is inserted again, and locked, until every key is held.
    """
    held: dict = {}
    missing = keys
    for _attempt in range(LOCK_ATTEMPTS):
        for chunk in _chunks(missing):
            model.objects.bulk_create([make(k) for k in chunk], ignore_conflicts=True)
        for chunk in _chunks(missing):
            held.update(rows_of(chunk))
        missing = [k for k in missing if k not in held]
        if not missing:
            return held
    raise RuntimeError(f"{model.__name__}: rows kept disappearing while being locked")


def _add_deltas(model: type, pks_by_delta: dict[tuple, list], fields: tuple[str, ...]) -> None:
    """``count = count + delta`` in the database, one UPDATE per distinct delta (most are
    ±1), never below zero."""
    for delta, pks in pks_by_delta.items():
        for chunk in _chunks(pks):
            model.objects.filter(pk__in=chunk).update(
                **{
                    name: Greatest(F(name) + d, Value(0))
                    for name, d in zip(fields, delta, strict=True)
                }
            )


def _apply(model: type, deltas: dict[int, tuple[int, ...]], make, fields: tuple[str, ...]) -> None:
    """Organizations' or places' tallies (keyed by their primary key) moved by deltas."""
    if not deltas:
        return
    keys = sorted(deltas)

    def rows_of(chunk: list[int]) -> dict:
        locked = model.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        return {pk: (pk, first) for pk, first in locked.values_list("pk", fields[0])}

    held = _locked(model, keys, make, rows_of)
    _warn_if_drifted(model, {k: held[k][1] + deltas[k][0] for k in keys})
    by_delta: dict[tuple, list] = defaultdict(list)
    for k in keys:
        by_delta[deltas[k]].append(k)
    _add_deltas(model, by_delta, fields)
    for chunk in _chunks(keys):
        _delete(model.objects.filter(pk__in=chunk, activities=0))


def _apply_ties(deltas: dict[tuple[int, int], int]) -> None:
    if not deltas:
        return
    keys = sorted(deltas)

    def rows_of(chunk: list[tuple[int, int]]) -> dict:
        wanted: dict[int, list[int]] = defaultdict(list)
        for a, b in chunk:
            wanted[a].append(b)
        match = Q()
        for a, bs in wanted.items():
            match |= Q(organization_a=a, organization_b__in=bs)
        locked = (
            TieTally.objects.select_for_update()
            .filter(match)
            .order_by("organization_a", "organization_b")
        )
        return {
            (a, b): (pk, n)
            for pk, a, b, n in locked.values_list(
                "pk", "organization_a", "organization_b", "activities"
            )
        }

    held = _locked(
        TieTally,
        keys,
        lambda pair: TieTally(organization_a=pair[0], organization_b=pair[1], activities=0),
        rows_of,
    )
    _warn_if_drifted(TieTally, {k: held[k][1] + deltas[k] for k in keys})
    by_delta: dict[tuple, list] = defaultdict(list)
    for k in keys:
        by_delta[(deltas[k],)].append(held[k][0])
    _add_deltas(TieTally, by_delta, ("activities",))
    pks = sorted(pk for pk, _n in held.values())
    for chunk in _chunks(pks):
        _delete(TieTally.objects.filter(pk__in=chunk, activities=0))


def _warn_if_drifted(model: type, results: dict) -> None:
    """A count that would fall below zero means the tallies no longer match the records
    (a change written by hand, or a bug): it stays at zero, and the log says what to run."""
    below = [k for k, n in results.items() if n < 0]
    if below:
        logger.warning(
            "%s: %d tallies would fall below zero (e.g. %s): run `passerelle rebuild-tallies`.",
            model.__name__,
            len(below),
            below[0],
        )


def activities_of_organizations(organization_ids: Iterable[int]) -> set[int]:
    """The activities whose tallies an organization's visibility, place or region moves."""
    ids = [pk for pk in organization_ids if pk]
    return set(
        Participation.objects.filter(organization_id__in=ids)
        .values_list("activity_id", flat=True)
        .distinct()
    )


# -- the whole


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Every tally recounted from the records, in SQL; how many rows of each. Retallies
    wait meanwhile (the rebuild lock), and then read what it wrote."""
    _lock_for_rebuild()
    for model in (TallyMember, OrganizationTally, PlaceTally, TieTally):
        _delete(model.objects.all())
    member = TallyMember._meta.db_table
    tables = {
        "participation": Participation._meta.db_table,
        "activity": Participation._meta.get_field("activity").related_model._meta.db_table,
        "organization": Organization._meta.db_table,
        "place": Organization._meta.get_field("place").related_model._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {member} (activity_id, organization_id, place_id, participations) "
            "SELECT p.activity_id, p.organization_id, "
            "CASE WHEN o.in_region THEN NULL WHEN pl.visibility = %s THEN o.place_id END, "
            f"COUNT(*) FROM {tables['participation']} p "
            f"JOIN {tables['activity']} a ON a.id = p.activity_id "
            f"JOIN {tables['organization']} o ON o.id = p.organization_id "
            f"LEFT JOIN {tables['place']} pl ON pl.id = o.place_id "
            "WHERE p.visibility = %s AND a.visibility = %s AND o.visibility = %s "
            "GROUP BY p.activity_id, p.organization_id, o.in_region, pl.visibility, o.place_id",
            [PUBLIC] * 4,
        )
        cursor.execute(
            f"INSERT INTO {OrganizationTally._meta.db_table} "
            "(organization_id, activities, participations) "
            f"SELECT organization_id, COUNT(*), SUM(participations) FROM {member} "
            "GROUP BY organization_id"
        )
        cursor.execute(
            f"INSERT INTO {PlaceTally._meta.db_table} (place_id, activities) "
            f"SELECT place_id, COUNT(DISTINCT activity_id) FROM {member} "
            "WHERE place_id IS NOT NULL GROUP BY place_id"
        )
        cursor.execute(
            f"INSERT INTO {TieTally._meta.db_table} (organization_a, organization_b, activities) "
            f"SELECT a.organization_id, b.organization_id, COUNT(*) FROM {member} a "
            f"JOIN {member} b ON a.activity_id = b.activity_id "
            "AND a.organization_id < b.organization_id "
            "GROUP BY a.organization_id, b.organization_id"
        )
    return {
        "members": TallyMember.objects.count(),
        "organizations": OrganizationTally.objects.count(),
        "places": PlaceTally.objects.count(),
        "ties": TieTally.objects.count(),
    }


def recount() -> dict[str, dict]:
    """What the tallies should hold, counted from the records by the ORM (the tests' and
    the pages' own definition): compared with :func:`tallied`."""
    members = _members_now(None)
    organizations: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    places: dict[int, set[int]] = defaultdict(set)
    partners: dict[int, list[int]] = defaultdict(list)
    for (a, o), (p, n) in members.items():
        organizations[o][0] += 1
        organizations[o][1] += n
        if p:
            places[p].add(a)
        partners[a].append(o)
    ties: Counter = Counter()
    for orgs in partners.values():
        ties.update(combinations(sorted(orgs), 2))
    return {
        "organizations": {o: tuple(v) for o, v in organizations.items()},
        "places": {p: len(v) for p, v in places.items()},
        "ties": dict(ties),
    }


def tallied() -> dict[str, dict]:
    """What the tallies hold, in the shape of :func:`recount`."""
    return {
        "organizations": {
            o: (a, n)
            for o, a, n in OrganizationTally.objects.values_list(
                "organization_id", "activities", "participations"
            )
        },
        "places": dict(PlaceTally.objects.values_list("place_id", "activities")),
        "ties": {
            (a, b): n
            for a, b, n in TieTally.objects.values_list(
                "organization_a", "organization_b", "activities"
            )
        },
    }
