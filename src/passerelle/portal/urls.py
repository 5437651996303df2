"""The portal's addresses, translated per language, each page with a JSON twin.

Every page lives at ``…/`` and its data at ``….json``; long lists page with
``…/page/N/``. Only paths, never query strings, so that the static export can
write every page as a file.
"""

from django.urls import URLPattern, path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import figures, opendata, views

app_name = "portal"

# Path segments are translated apart from the same words in text: no accents in addresses.


def page(route, view, name: str, **extra) -> list[URLPattern]:
    """A page at ``route/`` and its JSON version at ``route.json``."""
    return [
        path(format_lazy("{}/", route), view, extra, name=name),
        path(format_lazy("{}.json", route), view, {**extra, "as_json": True}, name=f"{name}-json"),
    ]


def paged(route, view, name: str, **extra) -> list[URLPattern]:
    """A list's first page at ``route/``, the next ones at ``route/page/N/``."""
    return page(route, view, name, **extra) + page(
        format_lazy("{}/{}/<int:number>", route, pgettext_lazy("URL path", "page")),
        view,
        f"{name}-page",
        **extra,
    )


def activities_of(kind: str, record_route) -> list[URLPattern]:
    """The full, paged list of the activities of one record: ``…/<record>/activities/``."""
    return paged(
        format_lazy("{}/{}", record_route, activities),
        views.activities_of,
        f"{kind}-activities",
        kind=kind,
    )


organizations = pgettext_lazy("URL path", "organizations")
people = pgettext_lazy("URL path", "people")
activities = pgettext_lazy("URL path", "activities")
topics = pgettext_lazy("URL path", "topics")
countries = pgettext_lazy("URL path", "countries")
timeline = pgettext_lazy("URL path", "timeline")
relations = pgettext_lazy("URL path", "international-relations")
open_data = pgettext_lazy("URL path", "open-data")

organization = format_lazy("{}/<uuid:uid>", organizations)
person = format_lazy("{}/<uuid:uid>", people)
topic = format_lazy("{}/<slug:slug>", topics)
country = format_lazy("{}/<slug:code>", countries)

urlpatterns = [
    path("", views.home, name="home"),
    path("index.json", views.home, {"as_json": True}, name="home-json"),
    *page(relations, views.international_relations, "international-relations"),
    *paged(format_lazy("{}/<slug:key>", relations), views.section, "section"),
    *paged(organizations, views.organizations, "organizations"),
    *page(organization, views.organization, "organization"),
    *activities_of("organization", organization),
    *page(person, views.person, "person"),
    *activities_of("person", person),
    *page(format_lazy("{}/<uuid:uid>", activities), views.activity, "activity"),
    path(
        format_lazy("{}/<uuid:uid>.ics", activities),
        views.activity_calendar,
        name="activity-calendar",
    ),
    path(
        format_lazy("{}.ics", pgettext_lazy("URL path", "events")),
        views.events_calendar,
        name="events-calendar",
    ),
    *page(topics, views.topics, "topics"),
    *page(topic, views.topic, "topic"),
    *activities_of("topic", topic),
    *page(countries, views.countries, "countries"),
    *page(country, views.country, "country"),
    *activities_of("country", country),
    *page(pgettext_lazy("URL path", "map"), views.partnership_map, "map"),
    *page(pgettext_lazy("URL path", "network"), views.partnership_network, "network"),
    *page(timeline, views.timeline, "timeline"),
    *page(pgettext_lazy("URL path", "figures"), figures.figures_page, "figures"),
    path(
        format_lazy("{}/<slug:key>.csv", pgettext_lazy("URL path", "figures")),
        figures.figure_csv,
        name="figure-csv",
    ),
    *page(open_data, opendata.open_data, "open-data"),
    *page(
        format_lazy("{}/{}", open_data, pgettext_lazy("URL path", "vocabulary")),
        opendata.vocabulary_page,
        "vocabulary",
    ),
    *page(pgettext_lazy("URL path", "search"), views.search, "search"),
    *paged(format_lazy("{}/<int:year>", timeline), views.timeline_year, "timeline-year"),
    *paged(
        format_lazy("{}/{}", timeline, pgettext_lazy("URL path", "date-not-recorded")),
        views.timeline_undated,
        "timeline-undated",
    ),
]
