"""How a page names and links the records it mentions.

Every page is built as plain data (dicts, lists, strings) that the HTML
templates render and the JSON version returns as it is: one builder per page,
two formats that cannot disagree.
"""

from __future__ import annotations

import re
import uuid

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django_countries.fields import Country

from passerelle.activities.models import Activity
from passerelle.core.visibility import is_public
from passerelle.registry.models import Organization, Person, Place, Topic

from .dependencies import read_name

#: Rows per page of the long lists (an organization's activities, indexes).
PER_PAGE = 50


def url_of(record: Model | Country) -> str:
    """The portal page of a record, in the active language."""
    if isinstance(record, Country):
        return _address("portal:country", "code", record.code.lower())
    if isinstance(record, Topic):
        return _address("portal:topic", "slug", record.slug)
    name = {Organization: "organization", Person: "person", Activity: "activity"}[type(record)]
    return _address(f"portal:{name}", "uid", str(record.uid))


#: What a route's one argument may be for :func:`_address`'s shortcut: the characters of a
#: slug, a uuid or a country code, none of which reverse() would quote.
_PLAIN_ARGUMENT = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "0passerelle0"


def _address(route: str, argument: str, value: str) -> str:
    """reverse(route, kwargs={argument: value}), read from the route's address reversed once
    per language, script prefix and URLconf: a page links hundreds of records, and each
    reverse() walks the resolver. Anything that is not plain goes through reverse()."""
    if not _PLAIN_ARGUMENT.fullmatch(value):
        return reverse(route, kwargs={argument: value})
    key = (route, argument, get_language(), get_script_prefix(), get_urlconf())
    template = _templates.get(key)
    if template is None:
        sample = {"uid": str(uuid.UUID(int=0)), "slug": _MARK, "code": "zz"}[argument]
        reversed_ = reverse(route, kwargs={argument: sample})
        if reversed_.count(sample) != 1:
            return reverse(route, kwargs={argument: value})
        template = _templates.setdefault(key, tuple(reversed_.split(sample)))
    return template[0] + value + template[1]


_templates: dict[tuple, tuple[str, str]] = {}


def organization_ref(organization: Organization) -> dict:
    read_name(organization)  # the page shows its name: renewed when the name changes
    return {
        "type": "organization",
        "id": str(organization.uid),
        "name": organization.display_name,
        "acronym": organization.acronym,
        "url": url_of(organization),
    }


def person_ref(person: Person) -> dict:
    read_name(person)
    return {
        "type": "person",
        "id": str(person.uid),
        "name": person.display_name,
        "url": url_of(person),
    }


def actor_ref(actor: Organization | Person) -> dict:
    return organization_ref(actor) if isinstance(actor, Organization) else person_ref(actor)


def activity_ref(activity: Activity) -> dict:
    read_name(activity)
    return {
        "type": "activity",
        "id": str(activity.uid),
        "title": activity.title,
        "kind": activity.kind,
        "kind_label": str(activity.get_kind_display()),
        "dates": activity.interval_display,
        "url": url_of(activity),
    }


def topic_ref(topic: Topic) -> dict:
    read_name(topic)
    return {"type": "topic", "slug": topic.slug, "name": topic.name, "url": url_of(topic)}


def country_ref(country: Country) -> dict:
    return {
        "type": "country",
        "code": country.code,
        "name": str(country.name),
        "url": url_of(country),
    }


def place_ref(place: Place | None) -> dict | None:
    if not is_public(place):
        return None
    return {
        "name": place.shown_name,
        "country": country_ref(place.country) if place.country else None,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def page_of(queryset: QuerySet, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of a list; a page that does not exist is a 404, not an empty list."""
    try:
        return Paginator(queryset, per_page).page(number)
    except (EmptyPage, PageNotAnInteger) as missing:
        raise Http404(str(missing)) from missing


def pagination(page: Page, url_name: str, **kwargs) -> dict:
    """Links to the neighbouring pages, as paths a static web server can serve."""

    def link(number: int) -> str:
        if number == 1:
            return reverse(url_name, kwargs=kwargs)
        return reverse(f"{url_name}-page", kwargs={**kwargs, "number": number})

    return {
        "number": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "previous": link(page.number - 1) if page.has_previous() else None,
        "next": link(page.number + 1) if page.has_next() else None,
    }
