"""The map of partnerships and the network of organizations, from public records.

Both are computed on the server and drawn as SVG, with the same figures given
as tables for screen readers and for readers without pictures. Filters (kind,
years, country, topic) narrow the activities first; everything else follows.
"""

from __future__ import annotations

import math
import random
import textwrap
import threading
from collections import defaultdict
from dataclasses import dataclass

import igraph
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_countries.fields import Country

from passerelle.activities.models import (
    Activity,
    OrganizationTally,
    Participation,
    PlaceTally,
    TieTally,
)
from passerelle.activities.vocabulary import Kind
from passerelle.core.visibility import PUBLIC, is_public, public, public_participations
from passerelle.registry.models import Organization, Place, Topic

from . import geography
from .dependencies import MAP, read
from .pages import country_activities
from .references import country_ref, organization_ref, url_of

#: Organizations the network view draws: the most active ones under the filters.
NETWORK_SIZE = 120
#: Of those, the ones named on the picture (all are named in the table)…
LABELLED = 20
#: …and the ones still named on a phone, where the picture is a third of its size.
LABELLED_SMALL = 5
#: Characters on a line of a label, and lines at most.
LABEL_WIDTH, LABEL_LINES = 18, 3
#: Places the map draws, most active first.
MAP_PLACES = 600


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the activities to; every field optional."""

    kind: str = ""
    since: int | None = None
    until: int | None = None
    country: str = ""
    topic: str = ""

    @classmethod
    def from_query(cls, query) -> Filters:
        """Filters from a query string; anything unknown or malformed is ignored, not a 500."""

        def year(name: str) -> int | None:
            value = query.get(name, "").strip()
            return int(value) if value.isdigit() and 1000 <= int(value) <= 2999 else None

        kind = query.get("kind", "")
        country = query.get("country", "").upper()
        return cls(
            kind=kind if kind in Kind.values else "",
            since=year("since"),
            until=year("until"),
            country=country if country in countries else "",
            topic=query.get("topic", "")[:100],
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "since": self.since,
            "until": self.until,
            "country": self.country,
            "topic": self.topic,
        }

    def activities(self) -> QuerySet:
        """Public activities that pass the filters; a year filter keeps what overlaps it."""
        activities = public(Activity.objects.all())
        if self.kind:
            activities = activities.filter(kind=self.kind)
        if self.since:
            activities = activities.exclude(start="").filter(
                Q(end="") | Q(end__gte=str(self.since))
            )
        if self.until:
            activities = activities.exclude(start="").filter(start__lt=str(self.until + 1))
        if self.country:
            activities = activities.filter(pk__in=country_activities(self.country).values("pk"))
        if self.topic:
            activities = activities.filter(topics__slug=self.topic, topics__visibility=PUBLIC)
        return activities


def filter_choices() -> dict:
    """What the filter forms offer: kinds, topics and the countries of public partners."""
    codes = (
        public(Place.objects.filter(organizations__visibility=PUBLIC))
        .values_list("country", flat=True)
        .order_by()  # Place's ordering would put its name and region into the DISTINCT:
        .distinct()  # every place's row, sorted (60 ms of the map's and the network's)
    )
    return {
        "kinds": [(value, str(label)) for value, label in Kind.choices],
        "topics": [(t.slug, t.name) for t in public(Topic.objects.all()).order_by("name_en")],
        "countries": sorted(
            ((code, str(Country(code).name)) for code in set(codes) if code), key=lambda c: c[1]
        ),
    }


# -- the map


def _region_origin() -> tuple[float, float] | None:
    """Where the lines start: the middle of the region's own organizations."""
    coordinates = list(
        public(Place.objects.filter(organizations__in_region=True, latitude__isnull=False))
        .values_list("longitude", "latitude")
        .distinct()[:200]
    )
    if not coordinates:
        return None
    return (
        sum(lon for lon, _lat in coordinates) / len(coordinates),
        sum(lat for _lon, lat in coordinates) / len(coordinates),
    )


def _map_counts(filters: Filters) -> tuple[dict[int, dict], dict[int, list[dict]]]:
    """The map's places, most active first, and each one's busiest partners: counted from
    the participations under filters, read from the tallies (activities.tallies) without."""
    if filters == Filters():
        return _map_counts_tallied()
    partners = public_participations(
        Participation.objects.filter(
            activity__in=filters.activities(),
            organization__in_region=False,
            organization__place__visibility=PUBLIC,
        )
    )
    rows = (
        partners.values("organization__place_id")
        .annotate(
            organizations=Count("organization_id", distinct=True),
            activities=Count("activity_id", distinct=True),
        )
        .order_by("-activities", "organization__place_id")
    )
    counts = {row["organization__place_id"]: row for row in rows[:MAP_PLACES]}
    names: dict[int, list[dict]] = defaultdict(list)
    for row in (
        partners.filter(organization__place__in=list(counts))
        .values("organization__place_id", "organization_id")
        .annotate(activities=Count("activity_id", distinct=True))
        .order_by("-activities", "organization_id")[:3000]
    ):
        names[row["organization__place_id"]].append(row)
    return counts, names


def _map_counts_tallied() -> tuple[dict[int, dict], dict[int, list[dict]]]:
    rows = PlaceTally.objects.order_by("-activities", "place_id").values_list(
        "place_id", "activities"
    )[:MAP_PLACES]
    counts = {p: {"activities": n, "organizations": 0} for p, n in rows}
    # the partners a place's count is made of: outside the region, public, with a tally
    partners = OrganizationTally.objects.filter(
        organization__place__in=list(counts),
        organization__in_region=False,
        organization__visibility=PUBLIC,
    )
    names: dict[int, list[dict]] = defaultdict(list)
    rows_read = 0
    # one read of the places' partners, busiest first: how many at each place, and the
    # first 3,000 of them to name (as the counted path names them)
    for row in partners.values("organization__place_id", "organization_id", "activities").order_by(
        "-activities", "organization_id"
    ):
        counts[row["organization__place_id"]]["organizations"] += 1
        if rows_read < 3000:
            names[row["organization__place_id"]].append(row)
            rows_read += 1
    return counts, names


def partnership_map(filters: Filters) -> dict:
    """Places of partners outside the region, sized by activities, with lines from the region."""
    read(MAP)
    counts, names = _map_counts(filters)
    places = Place.objects.in_bulk(list(counts))
    organizations = Organization.objects.in_bulk(
        [row["organization_id"] for rows_ in names.values() for row in rows_[:5]]
    )
    origin = _region_origin()
    start = geography.project(*origin) if origin else None
    points = []
    for place_id, row in counts.items():
        place = places[place_id]
        entry = {
            "place": place.shown_name or str(place.country.name),
            "country": country_ref(place.country),
            "organizations": row["organizations"],
            "activities": row["activities"],
            "examples": [
                organization_ref(organizations[r["organization_id"]])
                for r in names[place_id][:5]
                if r["organization_id"] in organizations
            ],
        }
        if place.latitude is not None and place.longitude is not None:
            x, y = geography.project(place.longitude, place.latitude)
            entry.update(
                x=round(x, 1),
                y=round(y, 1),
                radius=round(min(3 + 2 * math.sqrt(row["activities"]), 18), 1),
                line=geography.curve(start, (x, y)) if start else "",
            )
        points.append(entry)
    drawn = [(p["x"], p["y"]) for p in points if "x" in p] + ([start] if start else [])
    partner_countries = {p["country"]["code"] for p in points}
    return {
        "type": "map",
        "filters": filters.as_dict(),
        "origin": {"x": round(start[0], 1), "y": round(start[1], 1)} if start else None,
        "points": points,
        "countries": sorted(partner_countries),
        "view_box": geography.view_box(drawn),
        "truncated": len(counts) == MAP_PLACES,
    }


def map_shapes(highlighted: set[str]) -> list[dict]:
    """Country outlines for the SVG, partners' countries marked."""
    return [
        {"code": shape.code, "path": shape.path, "partner": shape.code in highlighted}
        for shape in geography.country_shapes()
    ]


# -- the network

_LAYOUT_LOCK = threading.Lock()
WIDTH, HEIGHT, MARGIN = 1000, 700, 90


def _shared_activities(
    activities: QuerySet, organizations: list[int]
) -> list[tuple[int, int, int]]:
    """(a, b, n): organizations a < b took part together in n public activities."""
    if len(organizations) < 2:
        return []
    pairs_of = (
        public_participations(
            Participation.objects.filter(activity__in=activities, organization__in=organizations)
        )
        .values("activity_id", "organization_id")
        .order_by()  # the model's ordering would put its columns in the DISTINCT: two
        .distinct()  # roles in one activity counted it twice
    )
    sql, params = pairs_of.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH taking_part AS ({sql}) "  # the ORM wrote it, with parameters
            "SELECT a.organization_id, b.organization_id, COUNT(*) FROM taking_part a "
            "JOIN taking_part b ON a.activity_id = b.activity_id "
            "AND a.organization_id < b.organization_id "
            "GROUP BY a.organization_id, b.organization_id "
            "ORDER BY a.organization_id, b.organization_id",  # the layout follows the order
            params,
        )
        return cursor.fetchall()


def _layout(count: int, edges: list[tuple[int, int]], weights: list[int]) -> list[list[float]]:
    """Fruchterman–Reingold from a circle with a seeded generator: same graph, same picture."""
    graph = igraph.Graph(n=count, edges=edges)
    seed = [
        [math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count)] for i in range(count)
    ]
    with _LAYOUT_LOCK:
        igraph.set_random_number_generator(random.Random(1))
        try:
            coordinates = graph.layout_fruchterman_reingold(
                weights=weights or None, seed=seed, niter=500
            ).coords
        finally:
            igraph.set_random_number_generator(random)
    xs, ys = [c[0] for c in coordinates], [c[1] for c in coordinates]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    return [
        [
            round(MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1),
            round(MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN), 1),
        ]
        for x, y in coordinates
    ]


#: How the network colours organizations: where they stand from the cluster's point of view.
GROUPS = [
    ("region", gettext_lazy("In the region")),
    ("france", gettext_lazy("Elsewhere in France")),
    ("abroad", gettext_lazy("Abroad")),
]


def _group(organization: Organization) -> str:
    if organization.in_region:
        return "region"
    if is_public(organization.place) and organization.place.country == "FR":
        return "france"
    return "abroad"


def label_lines(organization: Organization) -> list[str]:
    """How the picture names an organization: its acronym, else its name on a few short lines,
    so that "Cancer research cluster in Milan" and "… in Lausanne" stay apart. A longer name
    keeps its beginning and its end, which is where names differ."""
    lines = textwrap.wrap(
        organization.short_name, LABEL_WIDTH, break_long_words=False, break_on_hyphens=False
    )
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], f"… {lines[-1]}"]
    return lines


def partnership_network(filters: Filters, size: int = NETWORK_SIZE) -> dict:
    """The most active organizations and what they did together, laid out for drawing."""
    activities = filters.activities()
    unfiltered = filters == Filters()
    if unfiltered:  # the tallies (activities.tallies) hold both counts
        counts = OrganizationTally.objects.order_by("-activities", "organization_id").values(
            "organization_id", "activities"
        )
    else:
        counts = (
            public_participations(
                Participation.objects.filter(activity__in=activities, organization__isnull=False)
            )
            .values("organization_id")
            .annotate(activities=Count("activity_id", distinct=True))
            .order_by("-activities", "organization_id")
        )
    top = {row["organization_id"]: row["activities"] for row in counts[:size]}
    organizations = Organization.objects.select_related("place").in_bulk(list(top))
    places = {pk: o.place if is_public(o.place) else None for pk, o in organizations.items()}
    order = [pk for pk in top if pk in organizations]
    index = {pk: i for i, pk in enumerate(order)}
    if unfiltered:
        pairs = list(
            TieTally.objects.filter(organization_a__in=order, organization_b__in=order)
            .order_by("organization_a", "organization_b")
            .values_list("organization_a", "organization_b", "activities")
        )
    else:
        pairs = _shared_activities(activities, order)
    edges = [(index[a], index[b]) for a, b, _n in pairs]
    weights = [n for _a, _b, n in pairs]
    positions = _layout(len(order), edges, weights) if order else []
    degree: dict[int, int] = defaultdict(int)
    for a, b, _n in pairs:
        degree[a] += 1
        degree[b] += 1
    largest = max(top.values(), default=1)
    labelled = set(order[:LABELLED])
    labelled_small = set(order[:LABELLED_SMALL])
    nodes = [
        {
            **organization_ref(organizations[pk]),
            "short_name": organizations[pk].short_name,
            "label": label_lines(organizations[pk]),
            "group": _group(organizations[pk]),
            "country": str(places[pk].country.name) if places[pk] else "",
            "activities": top[pk],
            "partners": degree[pk],
            "x": positions[i][0],
            "y": positions[i][1],
            "radius": round(4 + 16 * math.sqrt(top[pk] / largest), 1),
            "labelled": pk in labelled,
            "labelled_small": pk in labelled_small,
            "label_y": round(positions[i][1] + 4 + 16 * math.sqrt(top[pk] / largest), 1),
        }
        for i, pk in enumerate(order)
    ]
    strongest = max(weights, default=1)
    links = sorted(
        (
            {
                "source": organizations[a].display_name,
                "target": organizations[b].display_name,
                "source_url": url_of(organizations[a]),
                "target_url": url_of(organizations[b]),
                "shared_activities": n,
                "width": round(1 + 5 * n / strongest, 1),
                "x1": positions[index[a]][0],
                "y1": positions[index[a]][1],
                "x2": positions[index[b]][0],
                "y2": positions[index[b]][1],
            }
            for a, b, n in pairs
        ),
        key=lambda link: -link["shared_activities"],
    )
    return {
        "type": "network",
        "filters": filters.as_dict(),
        "nodes": nodes,
        "links": links,
        "truncated": len(top) == size,
    }
