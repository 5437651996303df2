"""The open dataset: every public record as RDF, a chunk of records at a time.

What is read is what an anonymous reader may read, decided by the records' own rules
(``restrict(AnonymousUser(), "view")``, and for participations the rule that the
participation, its activity and its actor are all public): a confidential organization,
a draft or a confidential participation never reaches a triple, and a public record
names another only when that one is public too.

The graph is yielded in chunks (``graphs()``) so that a writer can stream the dataset of a
large network without holding it; ``build()`` joins them for a test or a small export.
Every record is a node named by its IRI (linked.iris); roles and intervals follow VIVO
(an actor bears a role that contributes to, or is realized in, the activity, over a
``vivo:DateTimeInterval``), with schema.org's direct properties beside them for readers
who know only schema.org.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils import translation
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from passerelle.activities.agreements import effective_status
from passerelle.activities.commitments import check
from passerelle.activities.delegation_models import FollowUp
from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import Category, Kind, LinkRelation, Role
from passerelle.core.identifiers import Scheme
from passerelle.core.visibility import PUBLIC, public, public_participations
from passerelle.registry.models import Affiliation, Organization, Person, Place, Topic

from .iris import SAME_AS, iri, iri_of, place_same_as, topic_same_as
from .terms import (
    BEARER_OF,
    DATE_TYPES,
    INHERES_IN,
    PRECISIONS,
    REALIZED_IN,
    ROLE_CLASS,
    SCHEMA,
    VIVO,
    VIVO_ROLES,
    bind,
    concept,
    ns,
)

#: Records turned into triples at once: the queries grow with the records by chunks only.
CHUNK = 2000
ORGANIZERS = {Role.COORDINATOR, Role.ORGANIZER, Role.CO_ORGANIZER, Role.HOST}
EVENT_KINDS = {Kind.EVENT, Kind.DELEGATION}


def _types(activity: Activity) -> list[URIRef]:
    """schema.org's class where one fits, Passerelle's own where none does."""
    pl = ns()
    if activity.category == Category.EVENT_SERIES:
        return [SCHEMA.EventSeries, SCHEMA.Event]
    return {
        Kind.EVENT: [SCHEMA.Event],
        Kind.DELEGATION: [SCHEMA.Event, pl.Delegation],
        Kind.PROJECT: [SCHEMA.ResearchProject, SCHEMA.Project],
        Kind.PROGRAM: [SCHEMA.ResearchProject, SCHEMA.Project, pl.Program],
        Kind.AGREEMENT: [pl.Agreement, VIVO.Contract],
        Kind.EXCHANGE: [pl.Exchange],
        Kind.MEMBERSHIP: [pl.Membership],
    }.get(activity.kind, [pl.Activity])


def _decimal(value: float) -> Literal:
    """A coordinate as the decimal it was written as (Turtle rounds doubles)."""
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _date(text: str) -> Literal:
    return Literal(text, datatype=DATE_TYPES[len(text)])


class Builder:
    """Turns public records into triples; one instance per export (it keeps the verdicts'
    date, so that every commitment of a file is judged on the same day)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or datetime.date.today()
        self.reader = AnonymousUser()
        #: the grant node of each funded activity of the chunk, to name its funders on it
        self.grants: dict[int, BNode] = {}

    @cached_property
    def series(self) -> set[str]:
        """The stable ids of the series, named apart (``/id/series/…``) wherever cited."""
        rows = Activity.objects.filter(category=Category.EVENT_SERIES).values_list("uid", flat=True)
        return {str(uid) for uid in rows}

    @cached_property
    def verdicts(self) -> dict[int, list]:
        """Every public agreement's commitments judged at once: the checker gathers the
        parties' activities in one pass, where a call per chunk would gather them again."""
        agreements = public(Activity.objects.filter(kind=Kind.AGREEMENT)).order_by("pk")
        judged = defaultdict(list)
        for result in check(self.reader, agreements, today=self.today):
            judged[result.agreement.pk].append(result)
        return judged

    # -- helpers

    def graph(self) -> Graph:
        graph = Graph()
        bind(graph)
        return graph

    @staticmethod
    def texts(graph: Graph, subject, prop, record: Model, field: str) -> None:
        """``field_en`` and ``field_fr`` as language-tagged literals."""
        for language in ("en", "fr"):
            value = getattr(record, f"{field}_{language}", "")
            if value:
                graph.add((subject, prop, Literal(value, lang=language)))

    @staticmethod
    def interval(graph: Graph, subject, start: str, end: str) -> None:
        """A VIVO date-time interval whose ends keep their precision (year, month, day)."""
        if not start and not end:
            return
        interval = BNode()
        graph.add((subject, VIVO.dateTimeInterval, interval))
        graph.add((interval, RDF.type, VIVO.DateTimeInterval))
        for prop, text in ((VIVO.start, start), (VIVO.end, end)):
            if not text:
                continue
            value = BNode()
            first = text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text
            graph.add((interval, prop, value))
            graph.add((value, RDF.type, VIVO.DateTimeValue))
            graph.add((value, VIVO.dateTime, Literal(f"{first}T00:00:00", datatype=XSD.dateTime)))
            graph.add((value, VIVO.dateTimePrecision, PRECISIONS[len(text)]))

    @staticmethod
    def chunks(queryset: QuerySet, size: int = CHUNK) -> Iterator[list]:
        """The rows in order of key, ``size`` at a time (keyset paging: no OFFSET)."""
        last = 0
        while True:
            rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
            if not rows:
                return
            yield rows
            last = rows[-1].pk

    # -- the records

    def graphs(self, size: int = CHUNK) -> Iterator[Graph]:
        """The whole dataset, a graph per chunk of records."""
        with translation.override("en"):
            yield from self._places(size)
            yield from self._topics(size)
            yield from self._organizations(size)
            yield from self._people(size)
            yield from self._activities(size)

    def build(self) -> Graph:
        whole = self.graph()
        for part in self.graphs():
            whole += part
        return whole

    def _places(self, size: int) -> Iterator[Graph]:
        for rows in self.chunks(public(Place.objects.all()), size):
            graph = self.graph()
            for place in rows:
                node = URIRef(iri_of(place))
                graph.add((node, RDF.type, SCHEMA.Place))
                self.texts(graph, node, SCHEMA.name, place, "name")
                address = BNode()
                graph.add((node, SCHEMA.address, address))
                graph.add((address, RDF.type, SCHEMA.PostalAddress))
                graph.add((address, SCHEMA.addressCountry, Literal(place.country.code)))
                if place.region:
                    graph.add((address, SCHEMA.addressRegion, Literal(place.region)))
                for language in ("en", "fr"):
                    value = getattr(place, f"name_{language}")
                    if value:
                        graph.add((address, SCHEMA.addressLocality, Literal(value, lang=language)))
                if place.latitude is not None and place.longitude is not None:
                    geo = BNode()
                    graph.add((node, SCHEMA.geo, geo))
                    graph.add((geo, RDF.type, SCHEMA.GeoCoordinates))
                    graph.add((geo, SCHEMA.latitude, _decimal(place.latitude)))
                    graph.add((geo, SCHEMA.longitude, _decimal(place.longitude)))
                for same in place_same_as(place):
                    graph.add((node, SCHEMA.sameAs, URIRef(same)))
            yield graph

    def _topics(self, size: int) -> Iterator[Graph]:
        for rows in self.chunks(public(Topic.objects.select_related("parent")), size):
            graph = self.graph()
            for topic in rows:
                node = URIRef(iri_of(topic))
                graph.add((node, RDF.type, SKOS.Concept))
                graph.add((node, RDF.type, SCHEMA.DefinedTerm))
                self.texts(graph, node, SKOS.prefLabel, topic, "name")
                self.texts(graph, node, SCHEMA.name, topic, "name")
                graph.add((node, SCHEMA.termCode, Literal(topic.slug)))
                if topic.parent is not None and topic.parent.visibility == PUBLIC:
                    graph.add((node, SKOS.broader, URIRef(iri_of(topic.parent))))
                for same in topic_same_as(topic):
                    graph.add((node, SCHEMA.sameAs, URIRef(same)))
            yield graph

    def _same_as(self, graph: Graph, node, actor: Organization | Person) -> None:
        for identifier in actor.identifiers.all():
            if identifier.scheme == Scheme.WEBSITE:
                graph.add((node, SCHEMA.url, URIRef(identifier.value)))
            elif identifier.scheme in SAME_AS:
                graph.add(
                    (
                        node,
                        SCHEMA.sameAs,
                        URIRef(SAME_AS[identifier.scheme].format(identifier.value)),
                    )
                )

    def _organizations(self, size: int) -> Iterator[Graph]:
        records = public(Organization.objects.select_related("place", "parent")).prefetch_related(
            "identifiers"
        )
        pl = ns()
        for rows in self.chunks(records, size):
            graph = self.graph()
            for org in rows:
                node = URIRef(iri_of(org))
                graph.add((node, RDF.type, SCHEMA.Organization))
                names = [(org.name_en, "en"), (org.name_fr, "fr")]
                for value, language in names:
                    if value:
                        graph.add((node, SCHEMA.name, Literal(value, lang=language)))
                if not any(value for value, _language in names):
                    graph.add((node, SCHEMA.name, Literal(org.name)))
                graph.add((node, SCHEMA.legalName, Literal(org.name)))
                if org.acronym:
                    graph.add((node, SCHEMA.alternateName, Literal(org.acronym)))
                self.texts(graph, node, SCHEMA.description, org, "description")
                graph.add((node, pl.organizationKind, Literal(org.kind)))
                graph.add((node, pl.inRegion, Literal(org.in_region)))
                if org.place is not None and org.place.visibility == PUBLIC:
                    graph.add((node, SCHEMA.location, URIRef(iri_of(org.place))))
                if org.parent is not None and org.parent.visibility == PUBLIC:
                    graph.add((node, SCHEMA.parentOrganization, URIRef(iri_of(org.parent))))
                self._same_as(graph, node, org)
            yield graph

    def _people(self, size: int) -> Iterator[Graph]:
        records = public(Person.objects.select_related("place")).prefetch_related("identifiers")
        for rows in self.chunks(records, size):
            graph = self.graph()
            ids = [p.pk for p in rows]
            affiliations = Affiliation.objects.filter(
                person_id__in=ids, organization__visibility=PUBLIC
            ).values_list("person_id", "organization__uid")
            affiliated = defaultdict(list)
            for person_id, org_uid in affiliations:
                affiliated[person_id].append(org_uid)
            expertise = defaultdict(list)
            for person_id, topic_uid in Person.topics.through.objects.filter(
                person_id__in=ids, topic__visibility=PUBLIC
            ).values_list("person_id", "topic__uid"):
                expertise[person_id].append(topic_uid)
            for person in rows:
                node = URIRef(iri_of(person))
                graph.add((node, RDF.type, SCHEMA.Person))
                graph.add((node, SCHEMA.name, Literal(person.full_name)))
                graph.add((node, SCHEMA.familyName, Literal(person.family_name)))
                if person.given_name:
                    graph.add((node, SCHEMA.givenName, Literal(person.given_name)))
                if person.title:
                    graph.add(
                        (node, SCHEMA.honorificPrefix, Literal(str(person.get_title_display())))
                    )
                for org_uid in affiliated[person.pk]:
                    graph.add((node, SCHEMA.affiliation, URIRef(iri("organization", org_uid))))
                for topic_uid in expertise[person.pk]:
                    graph.add((node, SCHEMA.knowsAbout, URIRef(iri("topic", topic_uid))))
                if person.place is not None and person.place.visibility == PUBLIC:
                    graph.add((node, SCHEMA.workLocation, URIRef(iri_of(person.place))))
                self._same_as(graph, node, person)
            yield graph

    def _activities(self, size: int) -> Iterator[Graph]:
        for rows in self.chunks(public(Activity.objects.all()), size):
            graph = self.graph()
            self.grants = {}  # this chunk's only: nothing of a written chunk is kept
            nodes = {a.pk: URIRef(iri_of(a)) for a in rows}
            kinds = {a.pk: a for a in rows}
            for activity in rows:
                self._activity(graph, nodes[activity.pk], activity)
            self._activity_relations(graph, nodes, kinds)
            self._roles(graph, nodes, kinds)
            agreements = [a for a in rows if a.kind == Kind.AGREEMENT]
            if agreements:
                self._commitments(graph, nodes, agreements)
            delegations = [a.pk for a in rows if a.kind == Kind.DELEGATION]
            if delegations:
                self._follow_ups(graph, nodes, delegations)
            yield graph

    def _activity(self, graph: Graph, node: URIRef, activity: Activity) -> None:
        pl = ns()
        for kind in _types(activity):
            graph.add((node, RDF.type, kind))
        self.texts(graph, node, SCHEMA.name, activity, "title")
        if activity.acronym:
            graph.add((node, SCHEMA.alternateName, Literal(activity.acronym)))
        self.texts(graph, node, SCHEMA.description, activity, "summary")
        if activity.start:
            graph.add((node, SCHEMA.startDate, _date(activity.start)))
        if activity.end:
            graph.add((node, SCHEMA.endDate, _date(activity.end)))
        self.interval(graph, node, activity.start, activity.end)
        if activity.edition:
            graph.add((node, pl.editionNumber, Literal(activity.edition)))
        if activity.kind == Kind.AGREEMENT and activity.status:
            status = effective_status(activity, self.today)
            graph.add((node, pl.agreementStatus, concept("status", status)))
        if activity.direction:
            graph.add((node, pl.direction, concept("direction", activity.direction)))
        if activity.kind == Kind.DELEGATION:
            self.texts(graph, node, pl.purpose, activity, "purpose")
        if activity.kind == Kind.EXCHANGE:
            if activity.exchange_category:
                graph.add(
                    (node, pl.exchangeCategory, concept("exchange", activity.exchange_category))
                )
            if activity.headcount:
                graph.add((node, pl.headcount, Literal(activity.headcount)))
        if activity.funding_amount is not None and activity.kind != Kind.EXCHANGE:
            grant = BNode()
            amount = BNode()
            graph.add((node, SCHEMA.funding, grant))
            graph.add((grant, RDF.type, SCHEMA.MonetaryGrant))
            graph.add((grant, SCHEMA.amount, amount))
            graph.add((amount, RDF.type, SCHEMA.MonetaryAmount))
            graph.add(
                (amount, SCHEMA.value, Literal(activity.funding_amount, datatype=XSD.decimal))
            )
            if activity.funding_currency:
                graph.add((amount, SCHEMA.currency, Literal(activity.funding_currency)))
            self.grants[activity.pk] = grant

    def _activity_relations(self, graph: Graph, nodes: dict, records: dict) -> None:
        ids = list(nodes)
        for activity_id, place_uid in Activity.places.through.objects.filter(
            activity_id__in=ids, place__visibility=PUBLIC
        ).values_list("activity_id", "place__uid"):
            graph.add((nodes[activity_id], SCHEMA.location, URIRef(iri("place", place_uid))))
        for activity_id, topic_uid in Activity.topics.through.objects.filter(
            activity_id__in=ids, topic__visibility=PUBLIC
        ).values_list("activity_id", "topic__uid"):
            graph.add((nodes[activity_id], SCHEMA.about, URIRef(iri("topic", topic_uid))))
        pl = ns()
        links = ActivityLink.objects.filter(
            subject_id__in=ids,
            object__visibility=PUBLIC,
            relation__in=(LinkRelation.PART_OF, LinkRelation.RENEWS, LinkRelation.FULFILS),
        ).values_list("subject_id", "relation", "object__uid", "object__category")
        for subject_id, relation, object_uid, object_category in links:
            subject = nodes[subject_id]
            if relation == LinkRelation.PART_OF and object_category == Category.EVENT_SERIES:
                series = URIRef(iri("series", object_uid))
                graph.add((subject, SCHEMA.superEvent, series))
                graph.add((series, SCHEMA.subEvent, subject))
            elif relation == LinkRelation.PART_OF:
                graph.add((subject, SCHEMA.isPartOf, URIRef(iri("activity", object_uid))))
            else:
                predicate = pl.renews if relation == LinkRelation.RENEWS else pl.fulfils
                kind = "series" if object_category == Category.EVENT_SERIES else "activity"
                graph.add((subject, predicate, URIRef(iri(kind, object_uid))))

    def _roles(self, graph: Graph, nodes: dict, records: dict) -> None:
        """Each public participation as a VIVO role, and schema.org's direct links."""
        pl = ns()
        rows = public_participations(
            Participation.objects.filter(activity_id__in=list(nodes))
        ).values_list("activity_id", "organization__uid", "person__uid", "role", "start", "end")
        for activity_id, org_uid, person_uid, role, start, end in rows.order_by("pk"):
            activity = records[activity_id]
            actor = URIRef(iri("organization", org_uid) if org_uid else iri("person", person_uid))
            node = nodes[activity_id]
            bearer = BNode()
            graph.add((actor, BEARER_OF, bearer))
            graph.add((bearer, RDF.type, ROLE_CLASS))
            if role in VIVO_ROLES:
                graph.add((bearer, RDF.type, VIVO_ROLES[role]))
            graph.add((bearer, INHERES_IN, actor))
            graph.add((bearer, pl.roleKind, concept("role", role)))
            in_time = activity.kind in EVENT_KINDS
            graph.add((bearer, REALIZED_IN if in_time else VIVO.roleContributesTo, node))
            self.interval(graph, bearer, start, end)
            if role == Role.FUNDER:
                graph.add((node, SCHEMA.funder, actor))
                if activity.pk in self.grants:
                    graph.add((self.grants[activity.pk], SCHEMA.funder, actor))
            elif in_time:
                graph.add(
                    (node, SCHEMA.organizer if role in ORGANIZERS else SCHEMA.attendee, actor)
                )
            elif activity.kind in (Kind.PROJECT, Kind.PROGRAM):
                graph.add((node, SCHEMA.member, actor))

    def _commitments(self, graph: Graph, nodes: dict, agreements: list[Activity]) -> None:
        """Each key area of a public agreement, with the checker's verdict on public facts."""
        pl = ns()
        judged = Literal(self.today.isoformat(), datatype=XSD.date)
        results = (result for a in agreements for result in self.verdicts.get(a.pk, ()))
        for result in results:
            commitment = result.commitment
            node = URIRef(iri("commitment", commitment.uid))
            graph.add((nodes[result.agreement.pk], pl.commitment, node))
            graph.add((node, RDF.type, pl.Commitment))
            graph.add((node, pl.keyArea, concept("area", commitment.area)))
            self.texts(graph, node, SCHEMA.description, commitment, "text")
            if commitment.cadence:
                graph.add((node, pl.cadence, Literal(commitment.cadence)))
            graph.add((node, pl.verdict, concept("verdict", result.status)))
            graph.add((node, pl.judgedOn, judged))
            for language in ("en", "fr"):
                if result.reason.get(language):
                    graph.add(
                        (node, pl.verdictReason, Literal(result.reason[language], lang=language))
                    )
            for observed in result.observed:
                kind = "series" if str(observed.uid) in self.series else "activity"
                graph.add((node, pl.evidence, URIRef(iri(kind, observed.uid))))

    def _follow_ups(self, graph: Graph, nodes: dict, delegations: list[int]) -> None:
        pl = ns()
        actions = (
            FollowUp.objects.restrict(self.reader, "view")
            .filter(delegation_id__in=delegations)
            .select_related("result")
            .order_by("pk")
        )
        for action in actions:
            node = URIRef(iri("follow-up", action.uid))
            graph.add((nodes[action.delegation_id], pl.followUp, node))
            graph.add((node, RDF.type, pl.FollowUpAction))
            self.texts(graph, node, SCHEMA.description, action, "action")
            graph.add((node, pl.followUpStatus, concept("followup", action.status)))
            if action.due:
                graph.add((node, pl.dueDate, Literal(action.due.isoformat(), datatype=XSD.date)))
            if action.closed_on:
                graph.add(
                    (node, pl.closedOn, Literal(action.closed_on.isoformat(), datatype=XSD.date))
                )
            if action.result is not None and action.result.visibility == PUBLIC:
                graph.add((node, pl.ledTo, URIRef(iri_of(action.result))))


def dataset(today: datetime.date | None = None) -> Graph:
    """The whole public dataset as one graph."""
    return Builder(today).build()


def count_same_as(graphs: Iterable[Graph]) -> int:
    return sum(len(list(g.triples((None, SCHEMA.sameAs, None)))) for g in graphs)
