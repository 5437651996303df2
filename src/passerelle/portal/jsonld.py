"""schema.org descriptions of the detail pages (JSON-LD), for search engines and aggregators.

Every record is a node named by its IRI (``<site>/id/<kind>/<uuid>``, ingest.linked.iris),
the same on every page and in the open dataset, so that the same organization on two
pages is one node; the context is inlined, so that a reader offline reads every triple.
"""

from __future__ import annotations

from collections.abc import Iterable

from django_countries.fields import Country

from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import Category, Kind, Role
from passerelle.core.visibility import is_public
from passerelle.ingest.linked.iris import actor_same_as, iri_of, place_same_as
from passerelle.ingest.linked.terms import context
from passerelle.registry.models import Organization, Person, Place


def _same_as(actor: Organization | Person) -> list[str]:
    return actor_same_as(actor)


def _place(place: Place | None) -> dict | None:
    if not is_public(place):
        return None
    described: dict = {
        "@id": iri_of(place),
        "@type": "Place",
        "name": place.shown_name,
        "sameAs": place_same_as(place),
    }
    described["address"] = {
        "@type": "PostalAddress",
        "addressLocality": place.name,
        "addressCountry": place.country.code,
    }
    if place.latitude is not None and place.longitude is not None:
        described["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    return _compact(described)


def _compact(described: dict) -> dict:
    return {key: value for key, value in described.items() if value not in (None, "", [])}


def organization(record: Organization, parent: Organization | None) -> dict:
    return _compact(
        {
            "@context": context(),
            "@id": iri_of(record),
            "@type": "Organization",
            "name": record.display_name,
            "legalName": record.name,
            "alternateName": record.acronym,
            "sameAs": _same_as(record),
            "location": _place(record.place),
            "parentOrganization": {
                "@id": iri_of(parent),
                "@type": "Organization",
                "name": parent.display_name,
            }
            if parent
            else None,
        }
    )


def person(record: Person, organizations: Iterable[Organization]) -> dict:
    return _compact(
        {
            "@context": context(),
            "@id": iri_of(record),
            "@type": "Person",
            "name": record.full_name,
            "givenName": record.given_name,
            "familyName": record.family_name,
            "honorificPrefix": str(record.get_title_display()) if record.title else "",
            "sameAs": _same_as(record),
            "affiliation": [
                {"@id": iri_of(o), "@type": "Organization", "name": o.display_name}
                for o in organizations
            ],
        }
    )


def _actor(participation: Participation) -> dict:
    actor = participation.actor
    kind = "Organization" if participation.organization_id else "Person"
    return {"@id": iri_of(actor), "@type": kind, "name": actor.display_name}


def activity(record: Activity, participations: Iterable[Participation], places: list) -> dict:
    """An Event for what happens at a time and place, a ResearchProject or Project otherwise."""
    if record.category == Category.EVENT_SERIES:
        schema_type = "EventSeries"
    elif record.kind in (Kind.EVENT, Kind.DELEGATION):
        schema_type = "Event"
    elif record.kind in (Kind.PROJECT, Kind.PROGRAM):
        schema_type = "ResearchProject"
    else:
        schema_type = "Project"
    participations = list(participations)
    organizers = [
        _actor(p)
        for p in participations
        if p.role in (Role.COORDINATOR, Role.ORGANIZER, Role.CO_ORGANIZER, Role.HOST)
    ]
    described = {
        "@context": context(),
        "@id": iri_of(record),
        "@type": schema_type,
        "name": record.title,
        "alternateName": record.acronym,
        "description": record.summary or record.purpose,
        "funder": [_actor(p) for p in participations if p.role == Role.FUNDER],
    }
    if schema_type in ("Event", "EventSeries"):
        described.update(
            {
                "startDate": record.start,
                "endDate": record.end,
                "location": [_place(p) for p in places],
                "organizer": organizers,
                "attendee": [_actor(p) for p in participations if _actor(p) not in organizers],
            }
        )
    else:
        described.update(
            {
                "foundingDate": record.start,
                "dissolutionDate": record.end,
                "member": [_actor(p) for p in participations if p.role != Role.FUNDER],
            }
        )
    return _compact(described)


def country(record: Country) -> dict:
    return {"@context": context(), "@type": "Country", "name": str(record.name)}
