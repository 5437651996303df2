"""What the portal's pages aggregate on, and which keys an edit to a record renews.

Keys (see core.dependencies): a record's own key (its page, and every page that tells
more of it than its name: a sentence that introduces it, an activity page's participants);
its ``name`` facet (what a link to it shows, and whether it is shown at all); and the
aggregates network-wide pages are built on:

- ``network``: home, International relations, sections, timeline — renewed by any change
  of who takes part in what, or of an activity's kind, dates, visibility…;
- ``map``: the map of partnerships (participations, partners' places and kinds, topics);
- ``country:FR``: a country's page and activity lists;
- ``topic:7``: a topic's page and activity lists; ``year:2024``: a timeline year;
- ``organizations`` and ``topics``: the indexes of organizations, countries and topics.

A change that only touches a record's own text (a description, a summary) renews the
record's key alone: France, the map and the hub's page stay cached.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from passerelle.activities.agreement_models import AgreementDocument
from passerelle.activities.delegation_models import AgendaItem, FollowUp
from passerelle.activities.models import Activity, ActivityLink, Commitment, Participation
from passerelle.core import dependencies as deps
from passerelle.core.dependencies import record_key
from passerelle.core.models import Citation
from passerelle.registry.models import (
    Affiliation,
    Identifier,
    Organization,
    OrganizationName,
    OrganizationRelationship,
    Person,
    Place,
    Topic,
)

NETWORK = "network"
MAP = "map"
ORGANIZATIONS = "organizations"
TOPICS = "topics"
NAME = "name"


def country(code: str) -> str:
    return f"country:{str(code).upper()}"


def topic(pk) -> str:
    return f"topic:{pk}"


def year(value) -> str:
    return f"year:{value}"


# -- declaring what a page read


def read(*keys: str) -> None:
    deps.depends_on(*keys)


def read_record(record: Model | None) -> None:
    deps.depends_on_record(record)


def read_name(record: Model | None) -> None:
    deps.depends_on_record(record, NAME)


# -- helpers of the mappers


def _before(instance: Model, attname: str):
    """The value a field had when read (the current one if not known)."""
    loaded = deps.loaded_values(instance) or {}
    return loaded.get(attname, getattr(instance, attname, None))


def _both(instance: Model, attname: str) -> set:
    return {v for v in (_before(instance, attname), getattr(instance, attname, None)) if v}


def _moved(changed: set[str] | None, fields: Iterable[str]) -> bool:
    return changed is None or bool(changed & set(fields))


def _beyond(changed: set[str] | None, fields: Iterable[str]) -> bool:
    """Whether a field outside these moved (or what moved is not known)."""
    return changed is None or bool(changed - set(fields))


def _countries_of_places(place_ids: Iterable) -> set[str]:
    ids = [pk for pk in place_ids if pk]
    if not ids:
        return set()
    codes = Place.objects.filter(pk__in=ids).values_list("country", flat=True)
    return {country(code) for code in codes if code}


def _year_of(value) -> str | None:
    text = str(value or "")
    return text[:4] if len(text) >= 4 and text[:4].isdigit() else None


def _actor_keys(participations) -> set[str]:
    keys = set()
    for organization_id, person_id in participations.values_list("organization_id", "person_id"):
        if organization_id:
            keys.add(record_key(Organization, organization_id))
        if person_id:
            keys.add(record_key(Person, person_id))
    return keys


def _activity_aggregates(activity_ids: Iterable[int]) -> set[str]:
    """Everything an activity feeds: its countries, topics, years, actors, the map."""
    ids = [pk for pk in activity_ids if pk]
    if not ids:
        return set()
    keys = {NETWORK, MAP, TOPICS} | {record_key(Activity, pk) for pk in ids}
    participations = Participation.objects.filter(activity_id__in=ids)
    keys |= _actor_keys(participations)
    place_ids = set()
    for row in participations.values_list("organization__place_id", "person__place_id", "place_id"):
        place_ids.update(row)
    place_ids.update(
        Activity.places.through.objects.filter(activity_id__in=ids).values_list(
            "place_id", flat=True
        )
    )
    keys |= _countries_of_places(place_ids)
    rows = Activity.objects.filter(pk__in=ids).values_list(
        "start", "signed_on", "delegation_country"
    )
    for start, signed_on, delegation_country in rows:
        keys |= {year(y) for y in (_year_of(start), _year_of(signed_on)) if y}
        if delegation_country:
            keys.add(country(delegation_country))
    topic_ids = Activity.topics.through.objects.filter(activity_id__in=ids).values_list(
        "topic_id", flat=True
    )
    keys |= {topic(pk) for pk in topic_ids}
    return keys


# -- organizations and people

ORGANIZATION_NAME = {"name", "name_en", "name_fr", "acronym", "acronym_fr", "visibility", "draft"}
#: What only the organization's own page and the sentences that introduce it show.
ORGANIZATION_TEXT = {"description_en", "description_fr", "status", "owner_id"}
PERSON_NAME = {"given_name", "family_name", "title", "visibility", "draft"}
PERSON_TEXT = {"owner_id"}


def _shown_elsewhere(actor: Model, field: str) -> set[str]:
    """When an actor appears or disappears: the pages that list it beside others — its
    activities, those who share them, its affiliations."""
    mine = Participation.objects.filter(**{field: actor.pk})
    activity_ids = set(mine.values_list("activity_id", flat=True))
    keys = {record_key(Activity, pk) for pk in activity_ids}
    keys |= _actor_keys(Participation.objects.filter(activity_id__in=activity_ids))
    for organization_id, person_id in Affiliation.objects.filter(**{field: actor.pk}).values_list(
        "organization_id", "person_id"
    ):
        keys |= {record_key(Organization, organization_id), record_key(Person, person_id)}
    return keys | {NETWORK, MAP}


def organization_keys(organization: Organization, changed: set[str] | None, event: str) -> set:
    keys = {record_key(organization)}
    if _moved(changed, ORGANIZATION_NAME):
        keys |= {record_key(organization, facet=NAME), ORGANIZATIONS}
        keys |= _countries_of_places(_both(organization, "place_id"))
    if _beyond(changed, ORGANIZATION_NAME | ORGANIZATION_TEXT) or _moved(
        changed, {"visibility", "draft"}
    ):
        keys |= {NETWORK, MAP, ORGANIZATIONS}
        keys |= _countries_of_places(_both(organization, "place_id"))
        keys |= {record_key(Organization, pk) for pk in _both(organization, "parent_id")}
        if event != "delete":  # a deleted one's topic rows are gone; those pages named it
            keys |= {topic(pk) for pk in organization.topics.values_list("pk", flat=True)}
    if event == "delete" or _moved(changed, {"visibility", "draft"}):
        keys |= _shown_elsewhere(organization, "organization_id")
    return keys


def person_keys(person: Person, changed: set[str] | None, event: str) -> set:
    keys = {record_key(person)}
    if _moved(changed, PERSON_NAME):
        keys.add(record_key(person, facet=NAME))
    if _beyond(changed, PERSON_NAME | PERSON_TEXT) or _moved(changed, {"visibility", "draft"}):
        keys |= {NETWORK, MAP} | _countries_of_places(_both(person, "place_id"))
        if event != "delete":
            keys |= {topic(pk) for pk in person.topics.values_list("pk", flat=True)}
    if event == "delete" or _moved(changed, {"visibility", "draft"}):
        keys |= _shown_elsewhere(person, "person_id")
    return keys


def topic_keys(instance: Topic, changed: set[str] | None, event: str) -> set:
    keys = {record_key(instance), topic(instance.pk), TOPICS, MAP}
    if _beyond(changed, {"mesh_id", "ncit_id", "owner_id"}):
        keys.add(record_key(instance, facet=NAME))
        keys |= {record_key(Topic, pk) for pk in _both(instance, "parent_id")}
        keys |= {topic(pk) for pk in _both(instance, "parent_id")}
    if event == "delete" or _moved(changed, {"visibility", "draft", "parent_id"}):
        keys.add(NETWORK)
    return keys


# -- activities and participations

ACTIVITY_NAME = {"title_en", "title_fr", "kind", "start", "end", "visibility", "draft", "uid"}
#: What only the activity's own page and the sentences about it show.
ACTIVITY_TEXT = {
    "summary_en",
    "summary_fr",
    "objectives_en",
    "objectives_fr",
    "purpose_en",
    "purpose_fr",
    "outcomes_en",
    "outcomes_fr",
    "venue",
    "acronym",
    "funding_amount",
    "funding_currency",
    "notice_months",
    "owner_id",
}


def activity_keys(activity: Activity, changed: set[str] | None, event: str) -> set:
    keys = {record_key(activity)}
    if _moved(changed, ACTIVITY_NAME):
        keys.add(record_key(activity, facet=NAME))
        # the timeline orders a year's activities by date and title
        keys.add(NETWORK)
        for field in ("start", "signed_on"):
            keys |= {year(y) for y in map(_year_of, _both(activity, field)) if y}
    if _beyond(changed, ACTIVITY_NAME | ACTIVITY_TEXT) or _moved(
        changed, {"kind", "start", "end", "visibility", "draft"}
    ):
        keys |= _activity_aggregates([activity.pk]) if event != "delete" else {deps.EVERYTHING}
        keys |= {country(c) for c in _both(activity, "delegation_country")}
        for field in ("start", "signed_on"):
            keys |= {year(y) for y in map(_year_of, _both(activity, field)) if y}
        links = ActivityLink.objects.filter(Q(subject=activity) | Q(object=activity))
        for subject_id, object_id in links.values_list("subject_id", "object_id"):
            keys |= {record_key(Activity, subject_id), record_key(Activity, object_id)}
    return keys


def participation_keys(participation: Participation, changed: set[str] | None, event: str):
    activity_ids = _both(participation, "activity_id")
    keys = {record_key(Activity, pk) for pk in activity_ids}
    if not _beyond(changed, {"note"}):
        return keys
    keys |= {NETWORK, MAP}
    keys |= _actor_keys(Participation.objects.filter(activity_id__in=activity_ids))
    organizations = _both(participation, "organization_id")
    people = _both(participation, "person_id")
    keys |= {record_key(Organization, pk) for pk in organizations}
    keys |= {record_key(Person, pk) for pk in people}
    places = set(_both(participation, "place_id"))
    places |= set(
        Organization.objects.filter(pk__in=organizations).values_list("place_id", flat=True)
    )
    places |= set(Person.objects.filter(pk__in=people).values_list("place_id", flat=True))
    return keys | _countries_of_places(places)


def _owner_keys(instance, changed, event) -> set:
    """A row that belongs to one record (an identifier, a name, a follow-up): that record."""
    keys = set()
    for field in ("organization_id", "person_id"):
        model = Organization if field == "organization_id" else Person
        keys |= {record_key(model, pk) for pk in _both(instance, field)}
    for field in ("delegation_id", "agreement_id"):
        keys |= {record_key(Activity, pk) for pk in _both(instance, field)}
    return keys


def relationship_keys(instance, changed, event) -> set:
    keys = {record_key(Organization, pk) for pk in _both(instance, "organization_id")}
    keys |= {record_key(Organization, pk) for pk in _both(instance, "target_id")}
    return keys | {NETWORK}  # a cluster abroad taking part moves an activity's section


def link_keys(instance: ActivityLink, changed, event) -> set:
    keys = {record_key(Activity, pk) for pk in _both(instance, "subject_id")}
    keys |= {record_key(Activity, pk) for pk in _both(instance, "object_id")}
    return keys | {NETWORK}  # what is part of another leaves the top of the sections


def citation_keys(instance: Citation, changed, event) -> set:
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    return {record_key(model, instance.object_id)} if model else {deps.EVERYTHING}


# -- many-to-many relations


def _relation(field: str, aggregate) -> deps.RelationMapper:
    """Keys for one side's records and the other side's aggregate (a topic, a country)."""

    def keys(instance, through, pk_set, reverse, action) -> set:
        if pk_set is None:  # cleared: which rows went is not known
            return {deps.EVERYTHING}
        owners, others = (
            ({instance.pk}, set(pk_set)) if not reverse else (set(pk_set), {instance.pk})
        )
        owner_model = through._meta.get_field(field).related_model
        found = {record_key(owner_model, pk) for pk in owners}
        found |= aggregate(owner_model, owners, others)
        return found

    return keys


def _activity_topics(owner_model, owners, topics) -> set:
    return _activity_aggregates(owners) | {topic(pk) for pk in topics}


def _activity_places(owner_model, owners, places) -> set:
    return _activity_aggregates(owners) | _countries_of_places(places)


def _actor_topics(owner_model, owners, topics) -> set:
    return {topic(pk) for pk in topics} | {TOPICS}


def connect() -> None:
    """Wired once, by PortalConfig.ready()."""
    deps.register(Organization, organization_keys)
    deps.register(Person, person_keys)
    deps.register(Topic, topic_keys)
    deps.register(Activity, activity_keys)
    deps.register(Participation, participation_keys)
    for model in (OrganizationName, Identifier, Affiliation, AgendaItem, FollowUp):
        deps.register(model, _owner_keys)
    deps.register(AgreementDocument, _owner_keys)
    deps.register(Commitment, _owner_keys)
    deps.register(OrganizationRelationship, relationship_keys)
    deps.register(ActivityLink, link_keys)
    deps.register(Citation, citation_keys)
    deps.register_relation(Activity.topics.through, _relation("activity", _activity_topics))
    deps.register_relation(Activity.places.through, _relation("activity", _activity_places))
    deps.register_relation(Organization.topics.through, _relation("organization", _actor_topics))
    deps.register_relation(Person.topics.through, _relation("person", _actor_topics))
