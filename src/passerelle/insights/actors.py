"""The measured actors as rows with names: for the command line, the pages and JSON.

A stored result names actors by kind and id; their names are read again here, through the
reader's rule, so that a result computed before a record became confidential never names
it to someone who may no longer read it (the actor is left out instead).
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.core.users import AnyUser
from passerelle.registry.models import Organization, Person

from .brokerage import as_mapping
from .graph import ORGANIZATION, PERSON
from .measures import Measures
from .models import ActorMeasures, NetworkMeasures


def measured_rows(result: Measures) -> list[dict]:
    """A computed (not stored) result's actors, ranked as a stored one is."""
    rows = []
    for rank, i in enumerate(result.order()):
        actor = result.tie_graph.actors[i]
        rows.append(
            {
                "rank": rank,
                "kind": actor.kind,
                "pk": actor.pk,
                "country": actor.country,
                "in_region": actor.in_region,
                "degree": result.degree[i],
                "strength": result.strength[i],
                "betweenness": result.betweenness[i],
                "constraint": result.constraint[i],
                "community": result.community[i],
                "brokerage": as_mapping(result.region_brokerage[i]),
                "brokerage_by_country": as_mapping(result.country_brokerage[i]),
                "links_outside": None if result.linked is None else int(result.linked[i, 0]),
                "links_inside": None if result.linked is None else int(result.linked[i, 1]),
            }
        )
    return rows


def stored_rows(stored: NetworkMeasures, **filters) -> list[dict]:
    """A stored result's actors, ranked; ``filters`` narrow the rows (``rank__lt=50``…)."""
    return [
        {
            "rank": row.rank,
            "kind": ORGANIZATION if row.organization_id else PERSON,
            "pk": row.organization_id or row.person_id,
            "country": row.country,
            "in_region": row.in_region,
            "degree": row.degree,
            "strength": row.strength,
            "betweenness": row.betweenness,
            "constraint": row.constraint,
            "community": row.community,
            "brokerage": row.brokerage,
            "brokerage_by_country": row.country_brokerage,
            "links_outside": row.links_outside,
            "links_inside": row.links_inside,
        }
        for row in ActorMeasures.objects.filter(measures=stored, **filters).order_by("rank")
    ]


def named(rows: Iterable[dict], user: AnyUser) -> list[dict]:
    """The rows whose actor the user reads, each with its ``record`` (the organization or
    person, in two queries), ``id`` (its stable id) and ``name`` (in the active language)."""
    rows = list(rows)
    wanted = {ORGANIZATION: set(), PERSON: set()}
    for row in rows:
        wanted[row["kind"]].add(row["pk"])
    records = {
        ORGANIZATION: Organization.objects.restrict(user, "view").in_bulk(wanted[ORGANIZATION]),
        PERSON: Person.objects.restrict(user, "view").in_bulk(wanted[PERSON]),
    }
    shown = []
    for row in rows:
        record = records[row["kind"]].get(row["pk"])
        if record is not None:
            shown.append(
                {**row, "record": record, "id": str(record.uid), "name": record.display_name}
            )
    return shown


def as_json(row: dict) -> dict:
    """One actor in the command's JSON (and the pages' ``?format=json``)."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "name": row["name"],
        "country": row["country"],
        "in_region": row["in_region"],
        "degree": row["degree"],
        "strength": row["strength"],
        "betweenness": row["betweenness"],
        "constraint": row["constraint"],
        "community": row["community"],
        "brokerage": row["brokerage"],
        "brokerage_by_country": row["brokerage_by_country"],
        "links_outside": row["links_outside"],
        "links_inside": row["links_inside"],
    }
