"""The portal's addresses, translated per language, each page with a JSON twin.

Every page lives at ``…/`` and its data at ``….json``; long lists page with
``…/page/N/``. Only paths, never query strings, so that the static export can
write every page as a file.
"""

from django.urls import URLPattern, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "portal"


def page(route, view, name: str) -> list[URLPattern]:
    """A page at ``route/`` and its JSON version at ``route.json``."""
    return [
        path(format_lazy("{}/", route), view, name=name),
        path(format_lazy("{}.json", route), view, {"as_json": True}, name=f"{name}-json"),
    ]


def paged(route, view, name: str) -> list[URLPattern]:
    """A list's first page at ``route/``, the next ones at ``route/page/N/``."""
    return page(route, view, name) + page(
        format_lazy("{}/{}/<int:number>", route, _("page")), view, f"{name}-page"
    )


organizations = _("organizations")
activities = _("activities")
timeline = _("timeline")
relations = _("international-relations")

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
    *page(format_lazy("{}/<uuid:uid>", _("people")), views.person, "person"),
    *paged(
        format_lazy("{}/<uuid:uid>/{}", _("people"), activities),
        views.person_activities,
        "person-activities",
    ),
    *page(format_lazy("{}/<uuid:uid>", activities), views.activity, "activity"),
    *page(_("topics"), views.topics, "topics"),
    *page(format_lazy("{}/<slug:slug>", _("topics")), views.topic, "topic"),
    *page(_("countries"), views.countries, "countries"),
    *page(format_lazy("{}/<slug:code>", _("countries")), views.country, "country"),
    *page(_("map"), views.partnership_map, "map"),
    *page(_("network"), views.partnership_network, "network"),
    *page(timeline, views.timeline, "timeline"),
    *paged(format_lazy("{}/<int:year>", timeline), views.timeline_year, "timeline-year"),
]
