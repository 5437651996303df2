"""The dataset as CSV, one table per kind of record, for readers who do not read RDF.

Each row starts with the record's IRI, the key that joins the tables to each other and to
the RDF files; a reference to another record is its IRI, and a record that is not public
is not named at all. Rows are read a chunk at a time and written as they come.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import IO

from django.db.models import QuerySet
from django.utils import translation

from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import Category
from passerelle.core.identifiers import Scheme
from passerelle.core.visibility import PUBLIC, public, public_participations
from passerelle.registry.models import Identifier, Organization, Person, Place, Topic

from .dataset import CHUNK
from .iris import iri

TABLES = ("organizations", "people", "places", "topics", "activities", "participations")
IDENTIFIER_COLUMNS = {
    "organizations": (Scheme.ROR, Scheme.WIKIDATA, Scheme.ISNI, Scheme.FUNDREF, Scheme.WEBSITE),
    "people": (Scheme.ORCID, Scheme.WIKIDATA, Scheme.ISNI, Scheme.WEBSITE),
}


def _chunks(queryset: QuerySet) -> Iterator[list]:
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _ref(kind: str, uid) -> str:
    return iri(kind, uid) if uid else ""


def _identifiers(field: str, ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for owner, scheme, value in Identifier.objects.filter(**{f"{field}_id__in": ids}).values_list(
        f"{field}_id", "scheme", "value"
    ):
        found[owner].setdefault(scheme, value)
    return found


def _organizations() -> Iterator[list]:
    schemes = IDENTIFIER_COLUMNS["organizations"]
    yield ["iri", "name", "name_en", "name_fr", "acronym", "kind", "in_region", "place",
           "country", "parent", *schemes]  # fmt: skip
    records = public(Organization.objects.select_related("place", "parent"))
    for rows in _chunks(records):
        known = _identifiers("organization", [o.pk for o in rows])
        for org in rows:
            place = org.place if org.place and org.place.visibility == PUBLIC else None
            parent = org.parent if org.parent and org.parent.visibility == PUBLIC else None
            yield [
                iri("organization", org.uid), org.name, org.name_en, org.name_fr, org.acronym,
                org.kind, org.in_region, _ref("place", place and place.uid),
                place.country.code if place else "", _ref("organization", parent and parent.uid),
                *(known[org.pk].get(s, "") for s in schemes),
            ]  # fmt: skip


def _people() -> Iterator[list]:
    schemes = IDENTIFIER_COLUMNS["people"]
    yield ["iri", "title", "given_name", "family_name", "affiliations", *schemes]
    for rows in _chunks(public(Person.objects.all())):
        ids = [p.pk for p in rows]
        known = _identifiers("person", ids)
        affiliated = defaultdict(list)
        for person_id, uid in (
            Person.objects.filter(pk__in=ids, affiliations__organization__visibility=PUBLIC)
            .values_list("pk", "affiliations__organization__uid")
            .order_by("pk", "affiliations__organization__uid")
        ):
            affiliated[person_id].append(iri("organization", uid))
        for person in rows:
            yield [
                iri("person", person.uid), person.title, person.given_name, person.family_name,
                " ".join(affiliated[person.pk]), *(known[person.pk].get(s, "") for s in schemes),
            ]  # fmt: skip


def _places() -> Iterator[list]:
    yield ["iri", "name_en", "name_fr", "region", "country", "latitude", "longitude", "geonames"]
    for rows in _chunks(public(Place.objects.all())):
        for p in rows:
            yield [iri("place", p.uid), p.name_en, p.name_fr, p.region, p.country.code,
                   p.latitude, p.longitude, p.geonames_id or ""]  # fmt: skip


def _topics() -> Iterator[list]:
    yield ["iri", "slug", "name_en", "name_fr", "kind", "broader", "mesh", "ncit"]
    for rows in _chunks(public(Topic.objects.select_related("parent"))):
        for t in rows:
            parent = t.parent if t.parent and t.parent.visibility == PUBLIC else None
            yield [iri("topic", t.uid), t.slug, t.name_en, t.name_fr, t.kind,
                   _ref("topic", parent and parent.uid), t.mesh_id, t.ncit_id]  # fmt: skip


def _activities() -> Iterator[list]:
    yield ["iri", "kind", "category", "title_en", "title_fr", "acronym", "start", "end",
           "status", "direction", "exchange_category", "headcount", "funding_amount",
           "funding_currency", "edition", "places", "topics"]  # fmt: skip
    for rows in _chunks(public(Activity.objects.all())):
        ids = [a.pk for a in rows]
        places, topics = defaultdict(list), defaultdict(list)
        for activity_id, uid in Activity.places.through.objects.filter(
            activity_id__in=ids, place__visibility=PUBLIC
        ).values_list("activity_id", "place__uid"):
            places[activity_id].append(iri("place", uid))
        for activity_id, uid in Activity.topics.through.objects.filter(
            activity_id__in=ids, topic__visibility=PUBLIC
        ).values_list("activity_id", "topic__uid"):
            topics[activity_id].append(iri("topic", uid))
        for a in rows:
            kind = "series" if a.category == Category.EVENT_SERIES else "activity"
            yield [
                iri(kind, a.uid), a.kind, a.category, a.title_en, a.title_fr, a.acronym,
                a.start, a.end, a.status, a.direction, a.exchange_category,
                a.headcount or "", a.funding_amount if a.funding_amount is not None else "",
                a.funding_currency, a.edition or "", " ".join(places[a.pk]),
                " ".join(topics[a.pk]),
            ]  # fmt: skip


def _participations() -> Iterator[list]:
    yield ["activity", "actor", "role", "start", "end"]
    rows = public_participations(Participation.objects.all()).values_list(
        "pk", "activity__uid", "activity__category", "organization__uid", "person__uid",
        "role", "start", "end",
    )  # fmt: skip
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        for _pk, activity, category, org, person, role, start, end in chunk:
            kind = "series" if category == Category.EVENT_SERIES else "activity"
            actor = iri("organization", org) if org else iri("person", person)
            yield [iri(kind, activity), actor, role, start, end]
        last = chunk[-1][0]


ROWS: dict[str, Callable[[], Iterator[list]]] = {
    "organizations": _organizations,
    "people": _people,
    "places": _places,
    "topics": _topics,
    "activities": _activities,
    "participations": _participations,
}


class _Line:
    """A file that keeps what the CSV writer wrote last, to stream it row by row."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def table_chunks(table: str) -> Iterator[str]:
    """One table as CSV text, a chunk of rows at a time (for a streamed download)."""
    if table not in ROWS:
        raise ValueError(f"“{table}” is not a table of the dataset; known: {', '.join(TABLES)}")
    line = _Line()
    writer = csv.writer(line)
    with translation.override("en"):
        for n, row in enumerate(ROWS[table](), start=1):
            writer.writerow(row)
            if n % 500 == 0:
                yield line.text
                line.text = ""
    yield line.text


def write_table(out: IO[str], table: str) -> int:
    """One table as CSV; returns the number of rows below the header."""
    if table not in ROWS:
        raise ValueError(f"“{table}” is not a table of the dataset; known: {', '.join(TABLES)}")
    writer = csv.writer(out)
    count = -1
    with translation.override("en"):
        for row in ROWS[table]():
            writer.writerow(row)
            count += 1
    return count
