"""The detail pages: one organization, person, activity, topic or country, from public records.

Long lists are cut to their most recent rows, with a count and a link to the
full, paginated list: a hub with ten thousand participations must open as fast
as a small partner.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

from passerelle.activities.agreements import effective_status
from passerelle.activities.commitments import VERDICT_LABELS, check
from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import AgreementStatus, LinkRelation, Role
from passerelle.core.models import Record
from passerelle.core.visibility import PUBLIC, is_public, public, public_participations
from passerelle.registry.models import Affiliation, Organization, Person, Place, Topic

from . import dependencies as reads
from . import geography, jsonld
from .calendars import in_calendar
from .references import (
    activity_ref,
    actor_ref,
    country_ref,
    organization_ref,
    page_of,
    pagination,
    person_ref,
    place_ref,
    topic_ref,
)

#: Rows a detail page shows before "all N …".
RECENT = 20
PARTNERS = 24


def sources(record: Record) -> list[dict]:
    """Where the record's facts come from, with the sentence that says so."""
    return [
        {
            "title": citation.source.title,
            "url": citation.source.url,
            "quotation": citation.quotation,
            "language": citation.source.language,
            "locator": citation.locator,
        }
        for citation in record.citations.select_related("source").filter(source__visibility=PUBLIC)
    ]


def identifiers(record: Organization | Person) -> list[dict]:
    """A record's identifiers, those of one scheme together: the page lists them under one term."""
    found = [
        {"scheme": str(i.get_scheme_display()), "value": i.value, "url": i.url}
        for i in record.identifiers.all()
    ]
    return sorted(found, key=lambda i: (i["scheme"], i["value"]))


def locator(place) -> dict | None:
    """Where a place is on the world map, framed on its part of the world."""
    if not is_public(place) or place.latitude is None or place.longitude is None:
        return None
    x, y = geography.project(place.longitude, place.latitude)
    return {
        "x": round(x, 1),
        "y": round(y, 1),
        "radius": 4,
        "view_box": geography.view_box([(x, y)], margin=120, minimum=300),
    }


def _activities_of(participations: QuerySet) -> QuerySet:
    return Activity.objects.filter(pk__in=participations.values("activity_id"))


def _refs(activities: list[Activity], participations: QuerySet | None) -> list[dict]:
    """Activity references, with the roles taken in them when the list is someone's."""
    if participations is None:
        return [activity_ref(a) for a in activities]
    roles: dict[int, list[str]] = defaultdict(list)
    for activity_id, role in participations.filter(activity__in=activities).values_list(
        "activity_id", "role"
    ):
        label = str(Role(role).label)
        if label not in roles[activity_id]:
            roles[activity_id].append(label)
    return [{**activity_ref(a), "roles": roles[a.pk]} for a in activities]


def _latest(activities: QuerySet, all_url: str, participations: QuerySet | None = None) -> dict:
    """The latest activities, how many there are, and where the full list is."""
    recent = list(activities.order_by("-start", "-pk")[:RECENT])
    return {
        "count": activities.count() if len(recent) == RECENT else len(recent),
        "recent": _refs(recent, participations),
        "all_url": all_url,
    }


def organization_page(uid) -> dict:
    organization = get_object_or_404(
        public(Organization.objects.select_related("place", "parent")), uid=uid
    )
    reads.read_record(organization)  # its participations and co-actors' renew it too
    mine = public_participations(organization.participations.all())
    partner_rows = (
        public_participations(
            Participation.objects.filter(
                activity__in=mine.values("activity_id"), organization__isnull=False
            ).exclude(organization=organization)
        )
        .values("organization_id")
        .annotate(shared=Count("activity_id", distinct=True))
        .order_by("-shared", "organization_id")[:PARTNERS]
    )
    shared = {row["organization_id"]: row["shared"] for row in partner_rows}
    partners = Organization.objects.select_related("place").in_bulk(list(shared))
    parent = organization.parent if is_public(organization.parent) else None
    affiliations = (
        Affiliation.objects.filter(organization=organization, person__visibility=PUBLIC)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")[:100]
    )
    return {
        "type": "organization",
        "id": str(organization.uid),
        "name": organization.display_name,
        "legal_name": organization.name,
        "acronym": organization.acronym,
        "kind": str(organization.get_kind_display()),
        "status": str(organization.get_status_display()),
        "in_region": organization.in_region,
        "place": place_ref(organization.place),
        "locator": locator(organization.place),
        "parent": organization_ref(parent) if parent else None,
        "children": [organization_ref(o) for o in public(organization.children.all())[:100]],
        "other_names": sorted(
            {n.value for n in organization.names.all()} - {organization.display_name}
        ),
        "identifiers": identifiers(organization),
        "topics": [topic_ref(t) for t in public(organization.topics.all())],
        "activities": _latest(
            _activities_of(mine),
            reverse("portal:organization-activities", kwargs={"uid": organization.uid}),
            mine,
        ),
        "partners": [
            {**organization_ref(partners[pk]), "shared_activities": count}
            for pk, count in shared.items()
            if pk in partners
        ],
        "people": [
            {**person_ref(a.person), "position": a.position, "dates": a.interval_display}
            for a in affiliations
        ],
        "sources": sources(organization),
        "jsonld": jsonld.organization(organization, parent),
    }


def person_page(uid) -> dict:
    person = get_object_or_404(public(Person.objects.select_related("place")), uid=uid)
    reads.read_record(person)
    mine = public_participations(person.participations.all())
    affiliations = person.affiliations.filter(organization__visibility=PUBLIC).select_related(
        "organization"
    )
    # two plain lookups: an OR across both many-to-many joins took minutes on 100k activities
    own = set(person.topics.values_list("pk", flat=True))
    worked_on = set(
        Activity.topics.through.objects.filter(activity__in=mine.values("activity_id")).values_list(
            "topic_id", flat=True
        )
    )
    topics = public(Topic.objects.filter(pk__in=own | worked_on))
    return {
        "type": "person",
        "id": str(person.uid),
        "name": person.display_name,
        "place": place_ref(person.place),
        "affiliations": [
            {
                **organization_ref(a.organization),
                "position": a.position,
                "dates": a.interval_display,
            }
            for a in affiliations
        ],
        "topics": [topic_ref(t) for t in topics.order_by("name_en")],
        "activities": _latest(
            _activities_of(mine),
            reverse("portal:person-activities", kwargs={"uid": person.uid}),
            mine,
        ),
        "identifiers": identifiers(person),
        "sources": sources(person),
        "jsonld": jsonld.person(person, [a.organization for a in affiliations]),
    }


def activity_page(uid) -> dict:
    activity = get_object_or_404(public(Activity.objects.all()), uid=uid)
    reads.read_record(activity)
    if activity.kind == "agreement":
        reads.read(reads.NETWORK)  # its commitments are checked against other activities
    participations = (
        public_participations(activity.participations.all())
        .select_related("organization__place", "person", "place")
        .order_by("pk")
    )
    by_role: dict[str, dict] = {}
    for participation in participations:
        reads.read_record(participation.actor)  # its description and place are in the JSON-LD
        group = by_role.setdefault(
            participation.role, {"role": str(participation.get_role_display()), "actors": []}
        )
        group["actors"].append(
            {**actor_ref(participation.actor), "dates": participation.interval_display}
        )
    links_out = list(  # one query for what it is part of and the agreements it fulfils
        ActivityLink.objects.filter(
            subject=activity,
            relation__in=(LinkRelation.PART_OF, LinkRelation.FULFILS),
            object__visibility=PUBLIC,
        ).select_related("object")
    )
    part_of = [link for link in links_out if link.relation == LinkRelation.PART_OF]
    fulfils = [link for link in links_out if link.relation == LinkRelation.FULFILS]
    parts = (
        ActivityLink.objects.filter(
            object=activity, relation=LinkRelation.PART_OF, subject__visibility=PUBLIC
        )
        .select_related("subject")
        .order_by("subject__start", "subject_id")
    )
    places = list(public(activity.places.all()))
    return {
        "type": "activity",
        **activity_ref(activity),
        "category": str(activity.get_category_display()) if activity.category else "",
        "category_key": activity.category,
        "acronym": activity.acronym,
        "status": agreement_status(activity),
        "summary": activity.summary,
        "purpose": activity.purpose,
        "edition": activity.edition,
        "venue": activity.venue,
        "places": [place_ref(p) for p in places],
        "topics": [topic_ref(t) for t in public(activity.topics.all())],
        "participants": list(by_role.values()),
        "part_of": [activity_ref(link.object) for link in part_of],
        "parts": _parts(activity, parts),
        "fulfils": [activity_ref(link.object) for link in fulfils],
        "calendar_url": _calendar_url(activity),
        "commitments": [c.text for c in activity.commitments.all()],
        "commitment_checks": commitment_summary(activity),
        "sources": sources(activity),
        "jsonld": jsonld.activity(activity, participations, places),
    }


def agreement_status(activity) -> str:
    """An agreement's status as its dates make it (in force from its start, expired after)."""
    if not activity.status:
        return ""
    return str(AgreementStatus(effective_status(activity)).label)


def commitment_summary(activity) -> list[dict]:
    """An agreement's commitments as the checker judges them on public records only (the
    same service as the back office's, asked as an anonymous reader)."""
    if activity.kind != "agreement":
        return []
    language = (get_language() or "en")[:2]
    return [
        {
            "text": result.commitment.text,
            "status": result.status,
            "verdict": str(VERDICT_LABELS[result.status]),
            "reason": result.reason.get(language, ""),
            "next": result.next_text.get(language, ""),
            "observed": [
                {
                    "title": (o.title_fr if language == "fr" and o.title_fr else o.title_en),
                    "date": o.date or "",
                    "url": reverse("portal:activity", args=[o.uid]),
                }
                for o in result.observed
            ],
        }
        for result in check(None, [activity])
    ]


def _parts(activity, links) -> list[dict]:
    """The parts of an activity; a series' editions by their number, which they show."""
    parts = [{**activity_ref(link.subject), "edition": link.subject.edition} for link in links]
    if activity.category == "event_series":
        parts.sort(key=lambda p: (p["edition"] is None, p["edition"] or 0))
    return parts


def _calendar_url(activity) -> str:
    """The event's calendar, or a series' feed; none for an event not known to the day."""
    if activity.category == "event_series" or in_calendar(activity):
        return reverse("portal:activity-calendar", kwargs={"uid": activity.uid})
    return ""


def activity_list_page(kind: str, key, number: int) -> dict:
    """All the activities of an organization, person, topic or country, a page at a time."""
    participations = None
    if kind in ("organization", "person"):
        model = Organization if kind == "organization" else Person
        actor = get_object_or_404(public(model.objects.all()), uid=key)
        reads.read_record(actor)
        participations = public_participations(actor.participations.all())
        of, activities, kwargs = actor_ref(actor), _activities_of(participations), {"uid": key}
    elif kind == "topic":
        topic = get_object_or_404(public(Topic.objects.all()), slug=key)
        reads.read(reads.topic(topic.pk))
        of, activities, kwargs = topic_ref(topic), public(topic.activities.all()), {"slug": key}
    else:
        country = _country(key)
        reads.read(reads.country(country.code))
        of, activities, kwargs = (
            country_ref(country),
            country_activities(country.code),
            {"code": key},
        )
    page = page_of(activities.order_by("-start", "-pk"), number)
    return {
        "type": "activity-list",
        "of": of,
        "activities": _refs(list(page.object_list), participations),
        "pagination": pagination(page, f"portal:{kind}-activities", **kwargs),
    }


def topic_page(slug: str) -> dict:
    topic = get_object_or_404(public(Topic.objects.select_related("parent")), slug=slug)
    reads.read_record(topic)
    reads.read(reads.topic(topic.pk))
    return {
        "type": "topic",
        "slug": topic.slug,
        "name": topic.name,
        "kind": str(topic.get_kind_display()),
        "parent": topic_ref(topic.parent) if is_public(topic.parent) else None,
        "children": [topic_ref(t) for t in public(topic.children.all())],
        "activities": _latest(
            public(topic.activities.all()),
            reverse("portal:topic-activities", kwargs={"slug": topic.slug}),
        ),
        "organizations": [organization_ref(o) for o in public(topic.organizations.all())[:100]],
        "people": [person_ref(p) for p in public(topic.people.all())[:100]],
        "sources": sources(topic),
    }


def country_activities(code: str) -> QuerySet:
    """Public activities that involve a country: a partner, a place or a delegation there.

    One IN over a union of activity ids: an OR of the three subqueries made
    SQLite test every activity against each of them (2 s for France on 100k).
    """
    places = Place.objects.filter(country=code, visibility=PUBLIC).values("pk")
    # from the country's few places to its actors' participations, each step on an index
    parts = [
        public_participations(Participation.objects.filter(**{lookup: places})).values(
            "activity_id"
        )
        for lookup in ("organization__place__in", "person__place__in", "place__in")
    ]
    parts.append(Activity.places.through.objects.filter(place__in=places).values("activity_id"))
    parts.append(Activity.objects.filter(delegation_country=code).values("pk"))
    first, *others = (q.order_by() for q in parts)
    return public(Activity.objects.all()).filter(pk__in=first.union(*others, all=True))


def _country(code: str) -> Country:
    """The country of a lowercase ISO code in an address; anything else is a 404."""
    country = Country(code.upper())
    if not country.name or code != code.lower():
        raise Http404(_("No such country."))
    return country


def country_page(code: str) -> dict:
    country = _country(code)
    reads.read(reads.country(country.code))
    organizations = public(
        Organization.objects.filter(place__country=country.code, place__visibility=PUBLIC)
    )
    # each one's public participations, from the tallies (activities.tallies): counting
    # them here took a second for France on the medium set
    shown = list(
        organizations.annotate(activities=Coalesce("tally__participations", 0)).order_by(
            "-activities", "name"
        )[:100]
    )
    return {
        "type": "country",
        **country_ref(country),
        "activities": _latest(
            country_activities(country.code),
            reverse("portal:country-activities", kwargs={"code": code}),
        ),
        "organizations": {
            "count": organizations.count() if len(shown) == 100 else len(shown),
            "shown": [{**organization_ref(o), "activities": o.activities} for o in shown],
        },
        "jsonld": jsonld.country(country),
    }


def countries_index() -> dict:
    """Countries where public organizations are, with how many, most first."""
    reads.read(reads.ORGANIZATIONS)
    rows = (
        public(Organization.objects.filter(place__visibility=PUBLIC))
        .values("place__country")
        .annotate(organizations=Count("pk"))
        .order_by("-organizations", "place__country")
    )
    return {
        "type": "countries",
        "countries": [
            {**country_ref(Country(row["place__country"])), "organizations": row["organizations"]}
            for row in rows
            if row["place__country"] in countries
        ],
    }


def topics_index() -> dict:
    reads.read(reads.TOPICS)
    topics = (
        public(Topic.objects.all())
        .annotate(activity_count=Count("activities", filter=Q(activities__visibility=PUBLIC)))
        .order_by("kind", "name_en")
    )
    return {
        "type": "topics",
        "topics": [
            {**topic_ref(t), "kind": str(t.get_kind_display()), "activities": t.activity_count}
            for t in topics
        ],
    }


def organizations_index(number: int) -> dict:
    reads.read(reads.ORGANIZATIONS)
    page = page_of(public(Organization.objects.select_related("place")), number)
    return {
        "type": "organizations",
        "organizations": [
            {**organization_ref(o), "place": place_ref(o.place)} for o in page.object_list
        ],
        "pagination": pagination(page, "portal:organizations"),
    }
