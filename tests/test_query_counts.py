"""Every portal page and API list costs the number of queries recorded in
tests/query_counts.json, and no more when the data grows: a page that reads a query per
row fails here before a hub with 60k participations shows it. An intended change is
recorded on purpose: PASSERELLE_UPDATE_QUERY_COUNTS=1 pytest tests/test_query_counts.py, on
SQLite and on PostgreSQL (the counts are kept per database), then commit the file."""

from __future__ import annotations

from django.urls import reverse

from passerelle.activities.models import Activity
from passerelle.registry.models import Organization


def _portal_pages(client) -> dict[str, str]:
    """The portal's pages around the records that _grow_network grows: CLARA (the hub),
    the Milan activity and its people, lung cancer, France."""
    clara = Organization.objects.get(acronym="CLARA")
    milan = Activity.objects.get(title_en__contains="with Milan")
    person = milan.participations.filter(person__isnull=False).first().person
    sections = client.get(reverse("portal:international-relations-json")).json()["sections"]
    dated = Activity.objects.filter(visibility="public").exclude(start="").order_by("start")[0]
    key = next(s["key"] for s in sections if milan.title_en in str(s["entries"]))
    return {
        "home": reverse("portal:home"),
        "international relations": reverse("portal:international-relations"),
        "international relations, JSON": reverse("portal:international-relations-json"),
        "a section (Milan's)": reverse("portal:section", kwargs={"key": key}),
        "organizations": reverse("portal:organizations"),
        "organization (the hub)": reverse("portal:organization", args=[clara.uid]),
        "organization's activities": reverse("portal:organization-activities", args=[clara.uid]),
        "person": reverse("portal:person", args=[person.uid]),
        "person's activities": reverse("portal:person-activities", args=[person.uid]),
        "activity": reverse("portal:activity", args=[milan.uid]),
        "topics": reverse("portal:topics"),
        "topic": reverse("portal:topic", args=["lung-cancer"]),
        "topic's activities": reverse("portal:topic-activities", args=["lung-cancer"]),
        "countries": reverse("portal:countries"),
        "country": reverse("portal:country", args=["fr"]),
        "country's activities": reverse("portal:country-activities", args=["fr"]),
        "map": reverse("portal:map"),
        "network": reverse("portal:network"),
        "timeline": reverse("portal:timeline"),
        "timeline, one year": reverse("portal:timeline-year", args=[int(dated.start[:4])]),
        "search": reverse("portal:search") + "?q=cancer",
        "sitemap": "/sitemap.xml",
    }


API_LISTS = {
    **{
        f"{name} list": f"/api/{name}/"
        for name in ("sources", "places", "topics", "organizations", "people", "activities")
    },
    "search": "/api/search?q=cancer",
}


def _check(client, prefix, pages, grow_network, query_baselines) -> None:
    # One partner of each kind first, so that every related row a page may look up exists
    # (a lookup of no ids is rightly skipped: the demo's organizations have no topics, say);
    # then 30 more must cost nothing more.
    grow_network(1)
    for url in pages.values():  # once, for what a process reads once (content types…)
        client.get(url)
    before = {name: query_baselines.count(client, url) for name, url in pages.items()}
    grow_network(30)
    after = {name: query_baselines.count(client, url) for name, url in pages.items()}
    problems = [query_baselines.problem(f"{prefix}: {name}", n) for name, n in before.items()]
    problems += [
        f"{prefix}: {name}: {before[name]} queries, then {after[name]} with 30 more partners"
        for name in pages
        if after[name] != before[name]
    ]
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def test_portal_pages_cost_their_baseline_whatever_the_data(
    client, demo, grow_network, query_baselines
):
    _check(client, "portal", _portal_pages(client), grow_network, query_baselines)


def test_api_lists_cost_their_baseline_whatever_the_data(
    client, demo, grow_network, query_baselines
):
    _check(client, "api", API_LISTS, grow_network, query_baselines)
