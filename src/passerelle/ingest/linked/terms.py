"""The vocabularies the dataset speaks: schema.org, VIVO (with the OBO relations it uses),
SKOS, and Passerelle's own namespace for what none of them has.

Passerelle's terms live under ``<site>/ns#`` (linked.iris.namespace), so that each term
is an address the site answers (a page with an anchor per term, or Turtle). The values
of its vocabularies (roles, key areas, verdicts, statuses…) are SKOS concepts named
``<scheme>_<value>`` from the same choices the models use, so that the data and the
vocabulary cannot disagree.
"""

from __future__ import annotations

from django.db import models
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from passerelle.activities.vocabulary import (
    AgreementStatus,
    CommitmentArea,
    Direction,
    ExchangeCategory,
    FollowUpStatus,
    Role,
)

from .iris import namespace

SCHEMA = Namespace("https://schema.org/")
VIVO = Namespace("http://vivoweb.org/ontology/core#")
OBO = Namespace("http://purl.obolibrary.org/obo/")

#: bearer of (an actor bears a role), inheres in (the role's actor), realized in (an event)
BEARER_OF, INHERES_IN, REALIZED_IN = OBO.RO_0000053, OBO.RO_0000052, OBO.BFO_0000054
ROLE_CLASS = OBO.BFO_0000023

#: VIVO's role classes where one says what Passerelle's role says (every role is also a
#: BFO role and names its Passerelle concept, so that nothing hangs on this mapping).
VIVO_ROLES = {
    Role.COORDINATOR: VIVO.LeaderRole,
    Role.PARTNER: VIVO.MemberRole,
    Role.MEMBER: VIVO.MemberRole,
    Role.PARTY: VIVO.MemberRole,
    Role.ORGANIZER: VIVO.OrganizerRole,
    Role.CO_ORGANIZER: VIVO.OrganizerRole,
    Role.HOST: VIVO.OrganizerRole,
    Role.SPEAKER: VIVO.PresenterRole,
    Role.PARTICIPANT: VIVO.AttendeeRole,
    Role.VISITOR: VIVO.AttendeeRole,
}

#: VIVO's precisions for dates known to a year, a month or a day.
PRECISIONS = {
    4: VIVO.yearPrecision,
    7: VIVO.yearMonthPrecision,
    10: VIVO.yearMonthDayPrecision,
}
#: xsd datatypes of the same partial dates, for schema:startDate and schema:endDate.
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}

#: The commitment checker's verdicts (activities.commitments), as a vocabulary.
VERDICTS = ("met", "on_track", "due", "late", "broken", "not_checkable")


def ns() -> Namespace:
    """Passerelle's namespace on this site."""
    return Namespace(namespace())


#: Each scheme of concepts: its name in IRIs and the choices it comes from.
SCHEMES: dict[str, type[models.TextChoices] | tuple[str, ...]] = {
    "role": Role,
    "area": CommitmentArea,
    "verdict": VERDICTS,
    "status": AgreementStatus,
    "direction": Direction,
    "exchange": ExchangeCategory,
    "followup": FollowUpStatus,
}


def concept(scheme: str, value: str) -> URIRef:
    """The IRI of one value of a scheme, e.g. ``pl:role_coordinator``."""
    return URIRef(f"{namespace()}{scheme}_{value}")


def scheme_values(scheme: str) -> list[str]:
    choices = SCHEMES[scheme]
    return list(choices) if isinstance(choices, tuple) else [c for c in choices.values if c]


def bind(graph) -> None:
    """The prefixes every file of the dataset is written with."""
    for prefix, space in (
        ("schema", SCHEMA),
        ("vivo", VIVO),
        ("obo", OBO),
        ("skos", SKOS),
        ("xsd", XSD),
        ("rdfs", RDFS),
        ("rdf", RDF),
        ("pl", ns()),
    ):
        graph.bind(prefix, space, override=True, replace=True)


def context() -> dict:
    """The JSON-LD context of the pages and the dataset, inlined so that a reader needs no
    network: schema.org's terms by default, the other vocabularies by prefix."""
    return {
        "@vocab": str(SCHEMA),
        "schema": str(SCHEMA),
        "vivo": str(VIVO),
        "obo": str(OBO),
        "skos": str(SKOS),
        "xsd": str(XSD),
        "pl": namespace(),
        "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
        "url": {"@id": "schema:url", "@type": "@id"},
    }
