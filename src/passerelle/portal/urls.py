"""The portal's addresses, translated per language, each page with a JSON twin.

Every page lives at ``…/`` and its data at ``….json``; long lists page with
``…/page/N/``. Only paths, never query strings, so that the static export can
write every page as a file.
"""

from django.urls import URLPattern, path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views

app_name = "portal"

# Path segments are translated apart from the same words in text: no accents in addresses.


def page(route, view, name: str) -> list[URLPattern]:
    """A page at ``route/`` and its JSON version at ``route.json``."""
    return [
        path(format_lazy("{}/", route), view, name=name),
        path(format_lazy("{}.json", route), view, {"as_json": True}, name=f"{name}-json"),
    ]


def paged(route, view, name: str) -> list[URLPattern]:
    """A list's first page at ``route/``, the next ones at ``route/page/N/``."""
    return page(route, view, name) + page(
        format_lazy("{}/{}/<int:number>", route, pgettext_lazy("URL path", "page")),
        view,
        f"{name}-page",
    )


organizations = pgettext_lazy("URL path", "organizations")
activities = pgettext_lazy("URL path", "activities")
timeline = pgettext_lazy("URL path", "timeline")
relations = pgettext_lazy("URL path", "international-relations")

urlpatterns = [
    path("", views.home, name="home"),
    path("index.json", views.home, {"as_json": True}, name="home-json"),
    *page(relations, views.international_relations, "international-relations"),
    *paged(format_lazy("{}/<slug:key>", relations), views.section, "section"),
    *paged(organizations, views.organizations, "organizations"),
    *page(format_lazy("{}/<uuid:uid>", organizations), views.organization, "organization"),
    *paged(
        format_lazy("{}/<uuid:uid>/{}", organizations, activities),
        views.organization_activities,
        "organization-activities",
    ),
    *page(
        format_lazy("{}/<uuid:uid>", pgettext_lazy("URL path", "people")), views.person, "person"
    ),
    *paged(
        format_lazy("{}/<uuid:uid>/{}", pgettext_lazy("URL path", "people"), activities),
        views.person_activities,
        "person-activities",
    ),
    *page(format_lazy("{}/<uuid:uid>", activities), views.activity, "activity"),
    *page(pgettext_lazy("URL path", "topics"), views.topics, "topics"),
    *page(format_lazy("{}/<slug:slug>", pgettext_lazy("URL path", "topics")), views.topic, "topic"),
    *page(pgettext_lazy("URL path", "countries"), views.countries, "countries"),
    *page(
        format_lazy("{}/<slug:code>", pgettext_lazy("URL path", "countries")),
        views.country,
        "country",
    ),
    *page(pgettext_lazy("URL path", "map"), views.partnership_map, "map"),
    *page(pgettext_lazy("URL path", "network"), views.partnership_network, "network"),
    *page(timeline, views.timeline, "timeline"),
    *paged(format_lazy("{}/<int:year>", timeline), views.timeline_year, "timeline-year"),
]
