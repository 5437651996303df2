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
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import combinations

from django.db import connection, transaction
from django.db.models import Count

from passerelle.core.visibility import PUBLIC
from passerelle.registry.models import Organization

from .models import Participation
from .tally_models import OrganizationTally, PlaceTally, TallyMember, TieTally

#: Activities retallied per round of queries.
CHUNK = 500

Members = dict[tuple[int, int], tuple[int | None, int]]

_suspended = {"depth": 0}


@contextmanager
def suspended() -> Iterator[None]:
    """No incremental update inside (a bulk path saving records one by one); the caller
    rebuilds at the end."""
    _suspended["depth"] += 1
    try:
        yield
    finally:
        _suspended["depth"] -= 1


def is_suspended() -> bool:
    return _suspended["depth"] > 0


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


def retally(activity_ids: Iterable[int]) -> None:
    """Bring the tallies of these activities up to what the records say now (an activity
    deleted counts as one without partners)."""
    if is_suspended():
        return
    ids = sorted({int(pk) for pk in activity_ids if pk})
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            _retally_chunk(ids[start : start + CHUNK])


def _retally_chunk(ids: list[int]) -> None:
    old: Members = {
        (a, o): (p, n)
        for a, o, p, n in TallyMember.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "organization_id", "place_id", "participations"
        )
    }
    new = _members_now(ids)
    if old == new:
        return
    activities: Counter = Counter()
    participations: Counter = Counter()
    places: Counter = Counter()
    ties: Counter = Counter()
    old_of, new_of = _by_activity(old), _by_activity(new)
    changed = [a for a in ids if old_of.get(a, {}) != new_of.get(a, {})]
    for a in changed:
        before, after = old_of.get(a, {}), new_of.get(a, {})
        for o in before.keys() - after.keys():
            activities[o] -= 1
        for o in after.keys() - before.keys():
            activities[o] += 1
        for o in before.keys() | after.keys():
            participations[o] += after.get(o, (None, 0))[1] - before.get(o, (None, 0))[1]
        places_before = {p for p, _n in before.values() if p}
        places_after = {p for p, _n in after.values() if p}
        for p in places_before - places_after:
            places[p] -= 1
        for p in places_after - places_before:
            places[p] += 1
        for pair in combinations(sorted(before), 2):
            ties[pair] -= 1
        for pair in combinations(sorted(after), 2):
            ties[pair] += 1
    _delete(TallyMember.objects.filter(activity_id__in=changed))
    TallyMember.objects.bulk_create(
        TallyMember(activity_id=a, organization_id=o, place_id=p, participations=n)
        for a in changed
        for o, (p, n) in new_of.get(a, {}).items()
    )
    _apply_organizations(activities, participations)
    _apply_places(places)
    _apply_ties(ties)


def _apply_organizations(activities: Counter, participations: Counter) -> None:
    keys = {
        o for o in activities.keys() | participations.keys() if activities[o] or participations[o]
    }
    if not keys:
        return
    rows = OrganizationTally.objects.select_for_update().in_bulk(list(keys))
    created, updated, emptied = [], [], []
    for o in keys:
        row = rows.get(o) or OrganizationTally(organization_id=o, activities=0, participations=0)
        row.activities += activities[o]
        row.participations += participations[o]
        if row.activities <= 0:
            emptied.append(o)
        elif o in rows:
            updated.append(row)
        else:
            created.append(row)
    _delete(OrganizationTally.objects.filter(pk__in=emptied))
    OrganizationTally.objects.bulk_update(updated, ["activities", "participations"], batch_size=500)
    OrganizationTally.objects.bulk_create(created)


def _apply_places(places: Counter) -> None:
    keys = [p for p, d in places.items() if d]
    if not keys:
        return
    rows = PlaceTally.objects.select_for_update().in_bulk(keys)
    created, updated, emptied = [], [], []
    for p in keys:
        row = rows.get(p) or PlaceTally(place_id=p, activities=0)
        row.activities += places[p]
        if row.activities <= 0:
            emptied.append(p)
        elif p in rows:
            updated.append(row)
        else:
            created.append(row)
    _delete(PlaceTally.objects.filter(pk__in=emptied))
    PlaceTally.objects.bulk_update(updated, ["activities"], batch_size=500)
    PlaceTally.objects.bulk_create(created)


def _apply_ties(ties: Counter) -> None:
    deltas = {pair: d for pair, d in ties.items() if d}
    if not deltas:
        return
    by_a: dict[int, set[int]] = defaultdict(set)
    for a, b in deltas:
        by_a[a].add(b)
    rows: dict[tuple[int, int], TieTally] = {}
    firsts = list(by_a)
    for start in range(0, len(firsts), 500):
        for row in TieTally.objects.select_for_update().filter(
            organization_a__in=firsts[start : start + 500]
        ):
            if (row.organization_a, row.organization_b) in deltas:
                rows[(row.organization_a, row.organization_b)] = row
    created, updated, emptied = [], [], []
    for (a, b), d in deltas.items():
        row = rows.get((a, b)) or TieTally(organization_a=a, organization_b=b, activities=0)
        row.activities += d
        if row.activities <= 0:
            if row.pk:
                emptied.append(row.pk)
        elif row.pk:
            updated.append(row)
        else:
            created.append(row)
    _delete(TieTally.objects.filter(pk__in=emptied))
    TieTally.objects.bulk_update(updated, ["activities"], batch_size=500)
    TieTally.objects.bulk_create(created, batch_size=1000)


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
    """Every tally recounted from the records, in SQL; how many rows of each."""
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
