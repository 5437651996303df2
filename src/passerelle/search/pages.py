"""Search results as plain data, with addresses for the portal or for the back office.

The portal's page, the back office's page and the API all render this one
dictionary, so that the HTML and the JSON of a search cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from passerelle.activities.vocabulary import Kind as ActivityKind
from passerelle.activities.vocabulary import Role
from passerelle.registry.models import Organization, Topic

from .engine import FACETS, Results
from .models import SearchEntry

FACET_LABELS = {
    "kind": lambda: _("Kind of record"),
    "subkind": lambda: _("Kind"),
    "country": lambda: _("Country"),
    "topic": lambda: _("Topic"),
    "year": lambda: _("Year"),
    "role": lambda: _("Role"),
}


def portal_url(entry: SearchEntry) -> str:
    if entry.kind == SearchEntry.Kind.TOPIC:
        slug = getattr(entry, "topic_slug", None)  # read for the whole page by results_page
        if slug is None:
            slug = Topic.objects.filter(pk=entry.object_id).values_list("slug", flat=True).first()
        return reverse("portal:topic", kwargs={"slug": slug}) if slug else ""
    if entry.kind == SearchEntry.Kind.PLACE:
        return reverse("portal:country", kwargs={"code": entry.country.lower()})
    return reverse(f"portal:{entry.kind}", kwargs={"uid": entry.uid})


def admin_url(entry: SearchEntry) -> str:
    model = entry.content_type.model_class()
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[entry.object_id])


def _value_label(facet: str, value: str, topic_names: dict[str, str]) -> str:
    if facet == "kind":
        return str(SearchEntry.Kind(value).label) if value in SearchEntry.Kind.values else value
    if facet == "subkind":
        for choices in (ActivityKind, Organization.Kind, Topic.Kind):
            if value in choices.values:
                return str(choices(value).label)
    if facet == "country":
        return str(countries.name(value)) or value
    if facet == "role":
        return str(Role(value).label) if value in Role.values else value
    if facet == "topic":
        return topic_names.get(value) or value
    return value


def _topic_names(slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    return {
        topic.slug: topic.name
        for topic in Topic.objects.filter(slug__in=slugs).only("slug", "name_en", "name_fr")
    }  # the name in the reader's language


def _read_topic_slugs(entries: list[SearchEntry]) -> None:
    """Give the page's topic entries their slug (``topic_slug``), which portal_url links to."""
    topics = [e for e in entries if e.kind == SearchEntry.Kind.TOPIC]
    if not topics:
        return
    slugs = dict(
        Topic.objects.filter(pk__in=[e.object_id for e in topics]).values_list("pk", "slug")
    )
    for entry in topics:
        entry.topic_slug = slugs.get(entry.object_id, "")


def results_page(
    results: Results, params: dict, url_for: Callable[[SearchEntry], str], base: str
) -> dict:
    """The page of a search: hits by kind of record, facets with the links that apply them."""

    def link(**changes) -> str:
        query = {k: v for k, v in {**params, **changes}.items() if v not in ("", None)}
        query.pop("page", None) if "page" not in changes else None
        return f"{base}?{urlencode(query)}"

    # the names of the topics offered as facets, and the slugs of the topics found, each read
    # in one query for the page rather than one a row
    topic_names = _topic_names([value for value, _count in results.facets.get("topic", [])])
    _read_topic_slugs([hit.entry for hit in results.hits])
    facets = []
    for facet in FACETS:
        values = results.facets.get(facet, [])
        if not values:
            continue
        chosen = params.get(facet, "")
        facets.append(
            {
                "name": facet,
                "label": FACET_LABELS[facet](),
                "chosen": chosen,
                "clear": link(**{facet: ""}) if chosen else "",
                "values": [
                    {
                        "value": value,
                        "label": _value_label(facet, value, topic_names),
                        "count": count,
                        "url": link(**{facet: value}),
                        "chosen": value == chosen,
                    }
                    for value, count in values
                ],
            }
        )
    groups = [
        {
            "kind": kind,
            "label": str(SearchEntry.Kind(kind).label),
            "hits": [
                {
                    "kind": hit.entry.kind,
                    "id": str(hit.entry.uid),
                    "title": hit.title,
                    "summary": hit.summary,
                    "url": url_for(hit.entry),
                    "country": hit.entry.country,
                    "score": round(hit.score, 4),
                }
                for hit in hits
            ],
        }
        for kind, hits in results.groups()
    ]
    return {
        "query": results.query,
        "mode": results.mode,
        "total": results.total,
        "capped": results.capped,
        "page": results.page,
        "pages": results.pages,
        "previous": link(page=results.page - 1) if results.page > 1 else "",
        "next": link(page=results.page + 1) if results.page < results.pages else "",
        "notes": results.notes,
        "corrections": results.corrections,
        "facets": facets,
        "groups": groups,
    }
