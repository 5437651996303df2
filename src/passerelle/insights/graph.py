"""The actors' tie graph: who worked with whom, as many times as they shared an activity.

Vertices are actors (organizations and people); two actors are tied once they took part in
one activity together, and the tie's weight is the number of activities they shared. Only
what the reader may read counts: the participations, activities, organizations and people
each pass their own rule (``restrict(user, "view")``), so a confidential partner, or a
confidential participation of a public partner, adds no tie for someone who may not read it.

The graph is built from ``values_list`` rows and numpy arrays, never from model instances:
the large data set has 250 000 activities and a million participations, and a model
instance per row would cost more than all the measures together.

Dates: an activity belongs to every year its interval covers, from its start year to its
end year; one with no end recorded belongs to its start year only (an event, a signing —
the record says nothing of later years). An activity without a start has no year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import igraph
import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import QuerySet

from passerelle.activities.models import Activity, Participation
from passerelle.core.users import AnyUser
from passerelle.registry.models import Affiliation, Organization, Person, Place

#: The readers whose graphs are computed ahead and stored (see insights.store).
SCOPES = ("public", "staff")

ORGANIZATION, PERSON = "organization", "person"


def scope_reader(scope: str) -> AnyUser:
    """The reader a stored result is computed for.

    ``public``: an anonymous reader, who reads public records only. ``staff``: an active
    staff account that owns nothing, is named reader of nothing and does not read every
    record — what every member of staff reads (public and internal records, no
    confidential one). Its id, 0, is no account's, so the rules' "owner is the user" and
    "the user is a named reader" match no row. Someone who reads confidential records
    sees them in what is computed for them alone (``tie_graph(read_network(user))``),
    never in a result shared with all staff.
    """
    if scope == "public":
        return AnonymousUser()
    if scope == "staff":
        return get_user_model()(pk=0, username="insights-staff-scope", is_staff=True)
    raise ValueError(f"unknown scope {scope!r}: use {' or '.join(SCOPES)}")


@dataclass(frozen=True)
class Actor:
    """One vertex: an organization or a person, where it stands and from which country."""

    kind: str
    pk: int
    country: str
    in_region: bool

    @property
    def key(self) -> str:
        return f"{self.kind[0]}{self.pk}"


@dataclass
class Network:
    """What a reader may read of who took part in what, as arrays (one row per
    participation kept: its activity's index and its actor's index)."""

    actors: list[Actor]
    activity_ids: np.ndarray  # activity index -> pk
    first_year: np.ndarray  # activity index -> first year it covers (0: undated)
    last_year: np.ndarray  # activity index -> last year it covers (0: undated)
    activity_of: np.ndarray  # participation -> activity index
    actor_of: np.ndarray  # participation -> actor index
    home_country: str = "FR"

    def years(self) -> list[int]:
        dated = self.first_year[self.first_year > 0]
        if not dated.size:
            return []
        return list(range(int(dated.min()), int(self.last_year[self.first_year > 0].max()) + 1))


@dataclass
class TieGraph:
    """The undirected, weighted tie graph of a network, optionally for one year."""

    actors: list[Actor]
    graph: igraph.Graph  # vertex i is actors[i]; edge attribute "weight"
    year: int | None = None
    activities: int = 0  # activities with at least one participant kept
    groups: dict[str, list[int]] = field(default_factory=dict)

    @property
    def weights(self) -> list[int]:
        return self.graph.es["weight"] if self.graph.ecount() else []


def _rows(queryset: QuerySet, *fields: str) -> list[tuple]:
    """The rows of a queryset as tuples, through a cursor: the ORM writes the SQL (with the
    reader's rule in it) and no model instance, nor Django's per-row conversion, is made."""
    sql, params = queryset.order_by().values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _year(date: str | None) -> int:
    return int(date[:4]) if date and date[:4].isdigit() else 0


def read_network(user: AnyUser) -> Network:
    """Everything the graphs of ``user`` need, in seven queries."""
    places = {
        pk: (str(country or ""), region or "")
        for pk, country, region in _rows(
            Place.objects.restrict(user, "view"), "pk", "country", "region"
        )
    }
    organizations = _rows(
        Organization.objects.restrict(user, "view"), "pk", "place_id", "in_region"
    )
    regional_orgs = {pk for pk, _place, regional in organizations if regional}
    regional_places = {place for _pk, place, regional in organizations if regional and place}
    regional_regions = {places[p][1] for p in regional_places if p in places and places[p][1]}
    org_country = {pk: places.get(place, ("", ""))[0] for pk, place, _r in organizations}
    home = Counter(org_country[pk] for pk in regional_orgs if org_country[pk])
    affiliations: dict[int, list[int]] = defaultdict(list)
    for person, organization in _rows(
        Affiliation.objects.restrict(user, "view"), "person_id", "organization_id"
    ):
        if organization in org_country:
            affiliations[person].append(organization)

    actors: list[Actor] = []
    org_index: dict[int, int] = {}
    for pk, _place, regional in organizations:
        org_index[pk] = len(actors)
        actors.append(Actor(ORGANIZATION, pk, org_country[pk], bool(regional)))
    person_index: dict[int, int] = {}
    for pk, place in _rows(Person.objects.restrict(user, "view"), "pk", "place_id"):
        works_at = affiliations.get(pk, [])
        country, region = places.get(place, ("", ""))
        if not country:
            country = next((org_country[o] for o in works_at if org_country[o]), "")
        regional = any(o in regional_orgs for o in works_at) or (
            place in regional_places or (bool(region) and region in regional_regions)
        )
        person_index[pk] = len(actors)
        actors.append(Actor(PERSON, pk, country, regional))

    activities = _rows(Activity.objects.restrict(user, "view"), "pk", "start", "end")
    activity_index = {pk: i for i, (pk, _s, _e) in enumerate(activities)}
    first = np.array([_year(start) for _pk, start, _end in activities], dtype=np.int32)
    last = np.array([_year(end) or _year(start) for _pk, start, end in activities], dtype=np.int32)
    last = np.where(first > 0, np.maximum(last, first), 0)

    activity_of, actor_of = [], []
    for activity, organization, person in _rows(
        Participation.objects.restrict(user, "view"), "activity_id", "organization_id", "person_id"
    ):
        a = activity_index.get(activity)
        actor = org_index.get(organization) if organization else person_index.get(person)
        if a is not None and actor is not None:  # every side readable, or not counted
            activity_of.append(a)
            actor_of.append(actor)
    return Network(
        actors=actors,
        activity_ids=np.array([pk for pk, _s, _e in activities], dtype=np.int64),
        first_year=first,
        last_year=last,
        activity_of=np.array(activity_of, dtype=np.int64),
        actor_of=np.array(actor_of, dtype=np.int64),
        home_country=home.most_common(1)[0][0] if home else "FR",
    )


def _taking_part(network: Network, year: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(activity, actor) pairs, each once, sorted by activity, for one year or all."""
    activity_of, actor_of = network.activity_of, network.actor_of
    if year is not None:
        first = network.first_year[activity_of]
        last = network.last_year[activity_of]
        kept = (first > 0) & (first <= year) & (last >= year)
        activity_of, actor_of = activity_of[kept], actor_of[kept]
    n = max(len(network.actors), 1)
    pairs = np.unique(activity_of * n + actor_of)  # sorted: by activity, then actor
    return pairs // n, pairs % n


def shared_activities(network: Network, year: int | None = None) -> tuple[np.ndarray, ...]:
    """(a, b, n): actors a < b took part together in n activities (of ``year``, if given),
    and how many activities had a participant kept."""
    activities, actors = _taking_part(network, year)
    if not activities.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, 0
    starts = np.flatnonzero(np.r_[True, activities[1:] != activities[:-1]])
    sizes = np.diff(np.r_[starts, activities.size])
    # every pair (i < j) of rows of one activity, without a Python loop: row i pairs with
    # the rows after it in its activity, as many as ``after`` says
    position = np.arange(activities.size) - np.repeat(starts, sizes)
    after = np.repeat(sizes, sizes) - 1 - position
    left = np.repeat(np.arange(activities.size), after)
    if not left.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, int(starts.size)
    first_pair = np.repeat(np.cumsum(after) - after, after)
    right = left + np.arange(left.size) - first_pair + 1
    n = len(network.actors)
    keys = actors[left] * n + actors[right]  # sorted within an activity: left < right
    ties, counts = np.unique(keys, return_counts=True)
    return ties // n, ties % n, counts, int(starts.size)


def tie_graph(network: Network, year: int | None = None) -> TieGraph:
    """The graph of the actors who took part in anything (in ``year``, if given).

    Vertices are the actors with at least one participation kept; the others would only
    add isolated points to every measure."""
    a, b, weights, activities = shared_activities(network, year)
    _acts, taking_part = _taking_part(network, year)
    present = np.unique(taking_part)
    index = np.full(len(network.actors), -1, dtype=np.int64)
    index[present] = np.arange(present.size)
    graph = igraph.Graph(n=int(present.size))
    # a list of tuples: igraph reads it four times faster than a list of lists or an array
    graph.add_edges(list(zip(index[a].tolist(), index[b].tolist(), strict=True)))
    graph.es["weight"] = weights.tolist()
    return TieGraph(
        actors=[network.actors[i] for i in present.tolist()],
        graph=graph,
        year=year,
        activities=activities,
    )
