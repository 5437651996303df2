"""The public portal: pages anyone may read, built from public records only.

Each view asks a builder for the page as plain data, then renders it as HTML or
returns it as JSON (``….json`` or ``?format=json``): the two cannot disagree.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from passerelle.core.ratelimits import rate_limited

from . import geography, network_insights, overview, pages, partnerships
from .caching import cached_page
from .descriptions import describe
from .publishing import STATIC_SITE_FLAG


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain links to share a page: no third-party script or tracker on our pages."""
    url_q, text_q = quote(url, safe=""), quote(title, safe="")
    both = quote(f"{title} {url}", safe="")
    return [
        (_("E-mail"), f"mailto:?subject={text_q}&body={url_q}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url_q}"),
        ("X", f"https://x.com/intent/post?text={text_q}&url={url_q}"),
        ("Mastodon", f"https://mastodonshare.com/?text={text_q}&url={url_q}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={both}"),
    ]


def plain(value):
    """The page's data as JSON values: composed sentences lose their links, not their words."""
    if isinstance(value, SafeString):
        return strip_tags(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def jsonld_script(described: dict | None) -> SafeString:
    """A schema.org block; <, > and & escaped so that no text can close the script."""
    if not described:
        return mark_safe("")
    text = json.dumps(plain(described), ensure_ascii=False).translate(
        {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def respond(
    request: HttpRequest,
    payload: dict,
    template: str,
    title: str,
    as_json: bool = False,
    description: str = "",
) -> HttpResponse:
    if as_json or request.GET.get("format") == "json":
        return JsonResponse(
            {"language": get_language(), **plain(payload)},
            json_dumps_params={"ensure_ascii": False},
        )
    match = request.resolver_match
    url = request.build_absolute_uri(request.path)
    alternates = [
        (
            code,
            get_language_info(code)["name_local"].capitalize(),
            translate_url(request.path, code),
        )
        for code, _name in settings.LANGUAGES
    ]
    kwargs = {k: v for k, v in match.kwargs.items() if k != "as_json"}
    context = {
        "page": payload,
        "title": title,
        "description": description or describe(payload),
        "canonical": url,
        "alternates": [
            (code, name, request.build_absolute_uri(path)) for code, name, path in alternates
        ],
        "language_links": alternates,
        "json_url": reverse(f"portal:{match.url_name}-json", kwargs=kwargs),
        "share_links": share_links(url, title),
        "jsonld": jsonld_script(payload.get("jsonld")),
        # the static copy has no server to apply filters: it hides the filter forms
        "static_site": request.META.get(STATIC_SITE_FLAG, False),
    }
    return render(request, template, context)


@cached_page(precise=True)
def home(request, as_json=False):
    return respond(request, overview.home_page(), "portal/home.html", _("Home"), as_json)


@cached_page(precise=True)
def international_relations(request, as_json=False):
    payload = overview.international_relations_page()
    title = _("International relations")
    return respond(request, payload, "portal/international_relations.html", title, as_json)


@cached_page(precise=True)
def section(request, key, number=1, as_json=False):
    payload = overview.section_page(key, number)
    return respond(request, payload, "portal/section.html", payload["title"], as_json)


@cached_page(precise=True)
def organizations(request, number=1, as_json=False):
    payload = pages.organizations_index(number)
    return respond(request, payload, "portal/organizations.html", _("Organizations"), as_json)


@cached_page(precise=True)
def organization(request, uid, as_json=False):
    payload = pages.organization_page(uid)
    return respond(request, payload, "portal/organization.html", payload["name"], as_json)


@cached_page(precise=True)
def activities_of(request, kind, number=1, as_json=False, **key):
    """All the activities of an organization, a person, a topic or a country."""
    payload = pages.activity_list_page(kind, next(iter(key.values())), number)
    title = _("Activities of %(name)s") % {"name": payload["of"]["name"]}
    return respond(request, payload, "portal/activity_list.html", title, as_json)


@cached_page(precise=True)
def person(request, uid, as_json=False):
    payload = pages.person_page(uid)
    return respond(request, payload, "portal/person.html", payload["name"], as_json)


@cached_page(precise=True)
def activity(request, uid, as_json=False):
    payload = pages.activity_page(uid)
    return respond(request, payload, "portal/activity.html", payload["title"], as_json)


@cached_page(precise=True)
def topics(request, as_json=False):
    return respond(request, pages.topics_index(), "portal/topics.html", _("Topics"), as_json)


@cached_page(precise=True)
def topic(request, slug, as_json=False):
    payload = pages.topic_page(slug)
    return respond(request, payload, "portal/topic.html", payload["name"], as_json)


@cached_page(precise=True)
def countries(request, as_json=False):
    payload = pages.countries_index()
    return respond(request, payload, "portal/countries.html", _("Countries"), as_json)


@cached_page(precise=True)
def country(request, code, as_json=False):
    if code != code.lower():  # /countries/FR/ as typed from the ISO code: its address
        match = request.resolver_match
        return redirect(match.view_name, **{**match.captured_kwargs, "code": code.lower()})
    payload = pages.country_page(code)
    return respond(request, payload, "portal/country.html", payload["name"], as_json)


@cached_page(precise=True)
def partnership_map(request, as_json=False):
    filters = partnerships.Filters.from_query(request.GET)
    payload = partnerships.partnership_map(filters)
    if not (as_json or request.GET.get("format") == "json"):
        payload["shapes"] = partnerships.map_shapes(set(payload["countries"]))
        payload["choices"] = partnerships.filter_choices()
    return respond(request, payload, "portal/map.html", _("Map of partnerships"), as_json)


@network_insights.cached_network_page
def partnership_network(request, as_json=False):
    filters = partnerships.Filters.from_query(request.GET)
    payload = partnerships.partnership_network(filters)
    network_insights.with_communities(payload, getattr(request, "network_measures", None))
    if not (as_json or request.GET.get("format") == "json"):
        payload["choices"] = partnerships.filter_choices()
        payload["groups"] = [(key, str(label)) for key, label in partnerships.GROUPS]
    return respond(request, payload, "portal/network.html", _("Network of partners"), as_json)


@cached_page(precise=True)
def timeline(request, as_json=False):
    return respond(
        request, overview.timeline_page(), "portal/timeline.html", _("Timeline"), as_json
    )


@cached_page(precise=True)
def timeline_year(request, year, number=1, as_json=False):
    payload = overview.timeline_year_page(year, number)
    title = _("Activities that began in %(year)s") % {"year": year}
    return respond(request, payload, "portal/timeline_year.html", title, as_json)


@cached_page(precise=True)
def timeline_undated(request, number=1, as_json=False):
    payload = overview.timeline_undated_page(number)
    title = _("Activities whose date is not recorded")
    return respond(request, payload, "portal/timeline_undated.html", title, as_json)


@rate_limited("search")
def search(request, as_json=False):
    """One box over the public records; not cached, since every query is its own page."""
    from passerelle.search.engine import filters_from
    from passerelle.search.engine import search as run_search
    from passerelle.search.pages import portal_url, results_page

    params = {k: request.GET.get(k, "")[:200] for k in ("q", *FILTER_PARAMETERS, "page")}
    page_number = int(params["page"]) if params["page"].isdigit() else 1
    results = run_search(params["q"], None, filters_from(request.GET), page=min(page_number, 1000))
    payload = results_page(results, params, portal_url, reverse("portal:search"))
    title = (
        _("Search") if not results.query else _("Search: %(query)s") % {"query": results.query[:80]}
    )
    description = describe({"type": "search"})
    return respond(request, payload, "portal/search.html", title, as_json, description)


FILTER_PARAMETERS = ("kind", "subkind", "country", "topic", "year", "role")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """The portal's 404, in the language of the address, with the portal's header and footer.

    Its language links lead to each language's home page: the missing address has no
    translation to offer.
    """
    links = [
        (code, get_language_info(code)["name_local"].capitalize(), translate_url("/en/", code))
        for code, _name in settings.LANGUAGES
    ]
    context = {
        "page": {},
        "title": _("Page not found"),
        "description": describe({"type": "not-found"}),
        "language_links": links,
        "share_links": [],
        "static_site": request.META.get(STATIC_SITE_FLAG, False),
    }
    return render(request, "portal/404.html", context, status=404)


@cache_control(max_age=24 * 3600, public=True)
def world_map(request):
    """The land of the world, drawn once and cached by browsers: detail pages place a dot on it."""
    return HttpResponse(geography.world_svg(), content_type="image/svg+xml")


@cached_page  # the calendars do not say what they read: any change renews them
def activity_calendar(request, uid):
    """An event's calendar; a series' is the feed of its public editions."""
    from django.shortcuts import get_object_or_404

    from passerelle.activities.models import Activity
    from passerelle.activities.vocabulary import Category, Kind
    from passerelle.core.visibility import public

    from . import calendars

    activity = get_object_or_404(public(Activity.objects.filter(kind=Kind.EVENT)), uid=uid)
    if activity.category == Category.EVENT_SERIES:
        events = calendars.editions(activity)
    elif calendars.in_calendar(activity):
        events = [activity]
    else:
        from django.http import Http404

        raise Http404(_("This event's date is not known to the day: it is in no calendar."))
    content = calendars.calendar(activity.title, events, request)
    return calendars.respond(content, f"{activity.uid}.ics")


@cached_page  # the calendars do not say what they read: any change renews them
def events_calendar(request):
    """Every public event whose date is known to the day."""
    from . import calendars

    content = calendars.calendar(_("Events"), calendars.public_events(), request)
    return calendars.respond(content, "events.ics")
