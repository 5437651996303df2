"""Computing the measures of one scope and year, and storing them.

A result is keyed by the reader's scope (``public``: what anyone reads; ``staff``: what
every member of staff reads, see graph.scope_reader) and the year (0 for every year), and
records the content version (core.changes) it was computed from. Pages never call
:func:`compute`: they read what is stored through insights.freshness.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from passerelle.core.changes import content_version

from .brokerage import as_mapping
from .graph import ORGANIZATION, SCOPES, read_network, scope_reader, tie_graph
from .growth import growth
from .measures import Measures, measure
from .models import ActorMeasures, NetworkMeasures

#: Communities described in a summary (the others are counted).
COMMUNITIES_DESCRIBED = 30
BATCH = 5000


def check_scope(scope: str, year: int = 0) -> None:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: use {' or '.join(SCOPES)}")
    if not (year == 0 or 1000 <= year <= 2999):
        raise ValueError(f"year {year!r}: give a year such as 2024, or 0 for every year")


def _communities(result: Measures) -> list[dict]:
    actors = result.tie_graph.actors
    members: dict[int, list[int]] = defaultdict(list)
    for i, community in enumerate(result.community):
        members[community].append(i)
    described = []
    for number in sorted(members)[:COMMUNITIES_DESCRIBED]:
        rows = members[number]
        countries = Counter(actors[i].country for i in rows if actors[i].country)
        central = sorted(rows, key=lambda i: (-result.degree[i], i))[:5]
        described.append(
            {
                "number": number,
                "size": len(rows),
                "organizations": sum(actors[i].kind == ORGANIZATION for i in rows),
                "in_region": sum(actors[i].in_region for i in rows),
                "countries": countries.most_common(5),
                "central": [actors[i].key for i in central],
            }
        )
    return described


def summary(result: Measures, network, year: int) -> dict:
    graph = result.tie_graph.graph
    return {
        "actors": graph.vcount(),
        "organizations": sum(a.kind == ORGANIZATION for a in result.tie_graph.actors),
        "ties": graph.ecount(),
        "activities": result.tie_graph.activities,
        "modularity": result.modularity,
        "communities": max(result.community, default=0),
        "described": _communities(result),
        "betweenness_exact": result.betweenness_exact,
        "home_country": network.home_country,
        "growth": growth(network) if year == 0 else [],
        "timings": result.seconds,
    }


def compute(scope: str, year: int = 0) -> NetworkMeasures:
    """Compute and store the measures of one scope and year (replacing the stored ones)."""
    check_scope(scope, year)
    version = content_version()  # read first: a change during the work leaves it stale
    started = time.perf_counter()
    network = read_network(scope_reader(scope))
    read = time.perf_counter() - started
    graph = tie_graph(network, year or None)
    result = measure(graph)
    facts = summary(result, network, year)
    facts["timings"] = {"read": round(read, 3), **facts["timings"]}
    rows = []
    for rank, i in enumerate(result.order()):
        actor = graph.actors[i]
        is_org = actor.kind == ORGANIZATION
        rows.append(
            ActorMeasures(
                rank=rank,
                organization_id=actor.pk if is_org else None,
                person_id=None if is_org else actor.pk,
                country=actor.country,
                in_region=actor.in_region,
                degree=result.degree[i],
                strength=result.strength[i],
                betweenness=result.betweenness[i],
                constraint=result.constraint[i],
                community=result.community[i],
                brokerage=as_mapping(result.region_brokerage[i]),
                country_brokerage=as_mapping(result.country_brokerage[i]),
                links_outside=None if result.linked is None else int(result.linked[i, 0]),
                links_inside=None if result.linked is None else int(result.linked[i, 1]),
            )
        )
    with transaction.atomic():
        NetworkMeasures.objects.filter(scope=scope, year=year).delete()
        stored = NetworkMeasures.objects.create(
            scope=scope,
            year=year,
            version=version,
            computed_at=timezone.now(),
            summary=facts,
        )
        for row in rows:
            row.measures = stored
        ActorMeasures.objects.bulk_create(rows, batch_size=BATCH)
        stored.seconds = round(time.perf_counter() - started, 3)
        stored.summary["timings"]["total"] = stored.seconds
        stored.save(update_fields=["seconds", "summary"])
    return stored
