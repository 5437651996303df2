"""The IRIs of public records: ``<site>/id/<kind>/<uuid>``, the same on every page and file.

An IRI names a record, not a page: it carries no language and never changes with the
address a request came in on, so its base is a setting (``PASSERELLE_PUBLIC_URL``), read
at each call so that a test or a deployment may set it. Where it is not set (the demo), a
page's IRIs are built on the address serving it, so that they resolve there, and anything
made outside a request on ``PASSERELLE_BASE_URL``. The site answers an IRI with a
303 to the record's page in the reader's language (portal.opendata).
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings

from passerelle.activities.models import Activity, Commitment
from passerelle.activities.vocabulary import Category
from passerelle.core.identifiers import Scheme
from passerelle.core.serving import serving_address
from passerelle.registry.models import Organization, Person, Place, Topic

#: The kinds of IRI and the model each names. A series is an activity, named apart since
#: it is a class of its own (schema:EventSeries); commitments and follow-up actions hang
#: off their agreement and delegation and are named too, so that a verdict can be cited.
KINDS: dict[str, str] = {
    "organization": "registry.Organization",
    "person": "registry.Person",
    "place": "registry.Place",
    "topic": "registry.Topic",
    "activity": "activities.Activity",
    "series": "activities.Activity",
    "commitment": "activities.Commitment",
    "follow-up": "activities.FollowUp",
}

_KIND_OF_MODEL = {
    Organization: "organization",
    Person: "person",
    Place: "place",
    Topic: "topic",
    Commitment: "commitment",
}


def site_base() -> str:
    """The public site's address without a trailing slash: the setting, else the address
    the current request came in on, else the back office's."""
    base = settings.PASSERELLE_PUBLIC_URL or serving_address() or settings.PASSERELLE_BASE_URL
    return base.rstrip("/")


def namespace() -> str:
    """Passerelle's own vocabulary, whose terms the site describes at ``/ns``."""
    return f"{site_base()}/ns#"


def iri(kind: str, uid: UUID | str) -> str:
    """The IRI of a record of ``kind`` (one of KINDS) whose stable id is ``uid``."""
    if kind not in KINDS:
        raise ValueError(f"“{kind}” is not a kind of record with an IRI; known: {', '.join(KINDS)}")
    return f"{site_base()}/id/{kind}/{uid}"


def kind_of(record) -> str:
    """The kind of IRI of a record in hand."""
    if isinstance(record, Activity):
        return "series" if record.category == Category.EVENT_SERIES else "activity"
    for model, kind in _KIND_OF_MODEL.items():
        if isinstance(record, model):
            return kind
    if type(record).__name__ == "FollowUp":
        return "follow-up"
    raise ValueError(f"{type(record).__name__} records have no IRI")


def iri_of(record) -> str:
    """The IRI of a record in hand (organization, person, place, topic, activity…)."""
    return iri(kind_of(record), record.uid)


#: Linked-data forms of the identifiers the registry stores (Wikidata's entity, not its page);
#: websites are an actor's ``url``, GRID ids resolve nowhere any more.
SAME_AS = {
    Scheme.ROR: "https://ror.org/{}",
    Scheme.ORCID: "https://orcid.org/{}",
    Scheme.WIKIDATA: "http://www.wikidata.org/entity/{}",
    Scheme.ISNI: "https://isni.org/isni/{}",
    Scheme.FUNDREF: "https://doi.org/10.13039/{}",
}


def actor_same_as(actor: Organization | Person) -> list[str]:
    """The IRIs other registries give an organization or a person (identifiers prefetched)."""
    return [
        SAME_AS[i.scheme].format(i.value) for i in actor.identifiers.all() if i.scheme in SAME_AS
    ]


# The places where identifiers of other registries resolve as linked data.
GEONAMES = "https://sws.geonames.org/{}/"
MESH = "http://id.nlm.nih.gov/mesh/{}"
NCIT = "http://purl.obolibrary.org/obo/NCIT_{}"


def place_same_as(place: Place) -> list[str]:
    return [GEONAMES.format(place.geonames_id)] if place.geonames_id else []


def topic_same_as(topic: Topic) -> list[str]:
    same = []
    if topic.mesh_id:
        same.append(MESH.format(topic.mesh_id))
    if topic.ncit_id:
        same.append(NCIT.format(topic.ncit_id.removeprefix("NCIT_").removeprefix("NCIT:")))
    return same
