"""What the index holds of each kind of record, built a batch of records at a time.

A batch is read with a fixed number of queries whatever its size, so that a
full reindex of 200k records and the indexing of one saved record share the
same code. A record is found by its own words, its names, its places and its
topics; an activity is not found by its partners' names (a hub's name would
match 60,000 activities; matchmaking reads participations instead). Only
public neighbours lend their words to a record: a public record must not be
found by the name of a confidential topic or place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Model
from django.utils import translation
from django_countries import countries

from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import Category, Kind
from passerelle.core.visibility import PUBLIC
from passerelle.registry.models import (
    Affiliation,
    Organization,
    OrganizationName,
    Person,
    Place,
    Topic,
)

from .models import SearchEntry, entry_type
from .text import name_tokens, text_tokens

ONE_OFF = (Kind.EVENT, Kind.DELEGATION)


def _year(value: str) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def _framed(values: Iterable[str]) -> str:
    """ " a b " — so that a facet filter is a plain LIKE '% a %' on both databases."""
    values = sorted(set(v for v in values if v))
    return f" {' '.join(values)} " if values else ""


def _country_names(code: str) -> list[str]:
    if not code:
        return []
    names = [code]
    for language in ("en", "fr"):
        with translation.override(language):
            names.append(str(countries.name(code)))
    return names


def _topic_words(topics: list[Topic]) -> list[str]:
    return [name for t in topics for name in (t.name_en, t.name_fr)]


def _entry(record: Model, kind: str, shown: Callable[[], tuple[str, str]], **fields) -> SearchEntry:
    """``shown()`` gives the title and summary a reader sees in the active language; it is
    asked in English and in French, so that a French reader's results read French whatever
    language the indexing ran in."""
    names, words = fields.pop("names"), fields.pop("words")
    with translation.override("en"):
        title, summary = shown()
    with translation.override("fr"):
        title_fr, summary_fr = shown()
    return SearchEntry(
        content_type=entry_type(type(record)),
        object_id=record.pk,
        kind=kind,
        uid=record.uid,
        title=title[:300],
        summary=summary[:500],
        title_fr=title_fr[:300] if title_fr != title else "",
        summary_fr=summary_fr[:500] if summary_fr != summary else "",
        names=" ".join(name_tokens(*names)),
        words=" ".join(text_tokens(*words)),
        visibility=record.visibility,
        owner_id=record.owner_id,
        **fields,
    )


def _public_topics(through, owner_field: str, pks: list[int]) -> dict[int, list[Topic]]:
    found: dict[int, list[Topic]] = defaultdict(list)
    rows = through.objects.filter(**{f"{owner_field}__in": pks, "topic__visibility": PUBLIC})
    for link in rows.select_related("topic"):
        found[getattr(link, f"{owner_field}_id")].append(link.topic)
    return found


def _taking_part(actor_field: str, pks: list[int]) -> tuple[dict[int, set[str]], dict[int, int]]:
    """Per actor, the roles it takes, and how many activities it takes part in."""
    roles: dict[int, set[str]] = defaultdict(set)
    activities: dict[int, set[int]] = defaultdict(set)
    rows = Participation.objects.filter(**{f"{actor_field}__in": pks}).values_list(
        actor_field, "role", "activity"
    )
    for pk, role, activity in rows:
        roles[pk].add(role)
        activities[pk].add(activity)
    return roles, {pk: len(found) for pk, found in activities.items()}


def organization_entries(pks: list[int]) -> list[SearchEntry]:
    organizations = Organization.objects.filter(pk__in=pks).select_related("place")
    other_names: dict[int, list[str]] = defaultdict(list)
    for org, value in OrganizationName.objects.filter(organization__in=pks).values_list(
        "organization", "value"
    ):
        other_names[org].append(value)
    topics = _public_topics(Organization.topics.through, "organization", pks)
    roles, activities = _taking_part("organization", pks)
    entries = []
    for org in organizations:
        place = org.place if org.place and org.place.visibility == PUBLIC else None
        country = place.country.code if place else ""
        where = [place.name_en, place.name_fr, place.region, place.region_fr] if place else []
        entries.append(
            _entry(
                org,
                SearchEntry.Kind.ORGANIZATION,
                lambda org=org, place=place: (
                    org.display_name,
                    ", ".join(filter(None, [org.get_kind_display(), place and str(place)])),
                ),
                names=[org.name, org.name_en, org.name_fr, org.acronym, *other_names[org.pk]],
                words=[
                    org.get_kind_display(),
                    *where,
                    *_country_names(country),
                    *_topic_words(topics[org.pk]),
                ],
                subkind=org.kind,
                country=country,
                topics=_framed(t.slug for t in topics[org.pk]),
                roles=_framed(roles[org.pk]),
                in_region=org.in_region,
                activities=activities.get(org.pk, 0),
            )
        )
    return entries


def _regional_places() -> tuple[set[int], set[str]]:
    """The places, and the regions, of the organizations of the cluster's own region."""
    rows = Place.objects.filter(organizations__in_region=True).values_list("pk", "region")
    return {pk for pk, _r in rows}, {region for _pk, region in rows if region}


def _in(place: Place, regional: tuple[set[int], set[str]]) -> bool:
    return place.pk in regional[0] or (bool(place.region) and place.region in regional[1])


def person_entries(pks: list[int]) -> list[SearchEntry]:
    people = Person.objects.filter(pk__in=pks).select_related("place")
    topics = _public_topics(Person.topics.through, "person", pks)
    roles, activities = _taking_part("person", pks)
    affiliations: dict[int, list[Organization]] = defaultdict(list)
    for affiliation in Affiliation.objects.filter(
        person__in=pks, organization__visibility=PUBLIC
    ).select_related("organization__place"):
        affiliations[affiliation.person_id].append(affiliation.organization)
    regional = _regional_places()
    entries = []
    for person in people:
        works_at = affiliations[person.pk]
        place = person.place or next((o.place for o in works_at if o.place), None)
        place = place if place and place.visibility == PUBLIC else None
        entries.append(
            _entry(
                person,
                SearchEntry.Kind.PERSON,
                lambda person=person, works_at=works_at: (
                    person.display_name,
                    ", ".join(o.short_name for o in works_at[:3]),
                ),
                names=[person.given_name, person.family_name],
                words=[
                    *(name for o in works_at for name in (o.name, o.acronym)),
                    *([place.name_en, place.name_fr] if place else []),
                    *_topic_words(topics[person.pk]),
                ],
                country=place.country.code if place else "",
                topics=_framed(t.slug for t in topics[person.pk]),
                roles=_framed(roles[person.pk]),
                activities=activities.get(person.pk, 0),
                in_region=any(o.in_region for o in works_at)
                or bool(person.place and _in(person.place, regional)),
            )
        )
    return entries


def activity_entries(pks: list[int]) -> list[SearchEntry]:
    activities = Activity.objects.filter(pk__in=pks)
    topics = _public_topics(Activity.topics.through, "activity", pks)
    places: dict[int, list[Place]] = defaultdict(list)
    for link in Activity.places.through.objects.filter(
        activity__in=pks, place__visibility=PUBLIC
    ).select_related("place"):
        places[link.activity_id].append(link.place)
    roles: dict[int, set[str]] = defaultdict(set)
    in_region: set[int] = set()
    shown = Participation.objects.filter(activity__in=pks, visibility=PUBLIC)
    for activity, role, regional, org_public in shown.values_list(
        "activity", "role", "organization__in_region", "organization__visibility"
    ):
        roles[activity].add(role)
        if regional and org_public == PUBLIC:
            in_region.add(activity)
    entries = []
    for activity in activities:
        where = places[activity.pk]
        country = where[0].country.code if where else (activity.delegation_country.code or "")
        labels = [Kind(activity.kind).label]
        if activity.category in Category.values:
            labels.append(Category(activity.category).label)
        entries.append(
            _entry(
                activity,
                SearchEntry.Kind.ACTIVITY,
                lambda activity=activity: (activity.title, activity.summary),
                names=[activity.acronym],
                words=[
                    activity.title_en,
                    activity.title_fr,
                    activity.summary_en,
                    activity.summary_fr,
                    activity.objectives_en,
                    activity.objectives_fr,
                    activity.purpose_en,
                    activity.purpose_fr,
                    activity.venue,
                    *(str(label) for label in labels),
                    *(
                        name
                        for p in where
                        for name in (p.name_en, p.name_fr, p.region, p.region_fr)
                    ),
                    *_country_names(country),
                    *_topic_words(topics[activity.pk]),
                ],
                subkind=activity.kind,
                country=country,
                year_start=_year(activity.start),
                # no end: an event or a visit is over the same year; the rest is ongoing
                year_end=_year(activity.end)
                or (_year(activity.start) if activity.kind in ONE_OFF else None),
                topics=_framed(t.slug for t in topics[activity.pk]),
                roles=_framed(roles[activity.pk]),
                in_region=activity.pk in in_region,
            )
        )
    return entries


def topic_entries(pks: list[int]) -> list[SearchEntry]:
    entries = []
    for topic in Topic.objects.filter(pk__in=pks).select_related("parent"):
        parent = topic.parent if topic.parent and topic.parent.visibility == PUBLIC else None
        entries.append(
            _entry(
                topic,
                SearchEntry.Kind.TOPIC,
                lambda topic=topic: (topic.name, topic.get_kind_display()),
                names=[topic.name_en, topic.name_fr, topic.slug.replace("-", " ")],
                words=[
                    topic.name_en,
                    topic.name_fr,
                    *([parent.name_en, parent.name_fr] if parent else []),
                ],
                subkind=topic.kind,
                topics=_framed([topic.slug]),
            )
        )
    return entries


def place_entries(pks: list[int]) -> list[SearchEntry]:
    entries = []
    for place in Place.objects.filter(pk__in=pks):
        code = place.country.code
        entries.append(
            _entry(
                place,
                SearchEntry.Kind.PLACE,
                lambda place=place: (str(place), place.region),
                names=[
                    place.name_en,
                    place.name_fr,
                    place.region,
                    place.region_fr,
                    *_country_names(code),
                ],
                words=[],
                country=code,
            )
        )
    return entries


#: The models search indexes, and how to build their entries.
BUILDERS = {
    Organization: organization_entries,
    Person: person_entries,
    Activity: activity_entries,
    Topic: topic_entries,
    Place: place_entries,
}
