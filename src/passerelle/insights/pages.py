"""The back office's Insights page: the network's brokers, its communities and its growth.

Staff only (the admin site's own door), and through the rules: the measures are those of
what every member of staff reads (the ``staff`` scope, insights.graph.scope_reader), and
every name shown is read again through the signed-in user's rule (insights.actors). The
page never computes: it reads the stored result (insights.store.current), says its age,
and says when the records have changed since and a new one is being computed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_countries import countries

from passerelle.core.querysets import is_staff

from .actors import as_json, named, stored_rows
from .freshness import current
from .growth import COLLABORATION_TYPES
from .models import NetworkMeasures
from .wording import dominant_role, role_label, role_sentence

#: Brokers the page lists.
BROKERS = 30


def _admin_url(row: dict) -> str:
    model = "organization" if row["kind"] == "organization" else "person"
    return reverse(f"admin:registry_{model}_change", args=[row["pk"]])


def _country(code: str) -> str:
    return str(countries.name(code)) if code else ""


def _brokers(stored: NetworkMeasures, user) -> list[dict]:
    rows = named(stored_rows(stored, rank__lt=BROKERS), user)
    return [
        {
            **row,
            "url": _admin_url(row),
            "country_name": _country(row["country"]),
            "role": role_label(dominant_role(row)),
            "sentence": role_sentence(row),
        }
        for row in rows
    ]


def _communities(stored: NetworkMeasures, user) -> list[dict]:
    from .graph import ORGANIZATION

    described = stored.summary.get("described", [])
    keys = [key for c in described for key in c["central"]]
    rows = [
        {"kind": ORGANIZATION if key[0] == "o" else "person", "pk": int(key[1:])} for key in keys
    ]
    names = {(r["kind"], r["pk"]): r for r in named(rows, user)}
    shown = []
    for community in described:
        central = []
        for key in community["central"]:
            row = names.get((ORGANIZATION if key[0] == "o" else "person", int(key[1:])))
            if row is not None:
                central.append({"name": row["name"], "url": _admin_url(row)})
        shown.append(
            {
                **community,
                "countries": [
                    {"name": _country(code), "count": count}
                    for code, count in community["countries"]
                ],
                "central": central,
            }
        )
    return shown


def network_view(request: HttpRequest):
    """The Insights page; ``?year=2024`` for one year, ``?format=json`` for its data."""
    if not is_staff(request.user):
        raise PermissionDenied
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1000 <= int(year_text) <= 2999 else 0
    found = current("staff", year)
    stored = found.measures
    brokers = _brokers(stored, request.user) if stored else []
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "year": year or None,
                "computed_at": stored.computed_at.isoformat() if stored else None,
                "stale": found.stale,
                "summary": {k: v for k, v in (stored.summary if stored else {}).items()},
                "brokers": [as_json(row) for row in brokers],
            }
        )
    overall = stored if year == 0 else _every_year()
    growth = overall.summary.get("growth", []) if overall else []
    context = {
        **_site_context(request),
        "title": _("Insights: the network"),
        "header_parts": [{"title": _("Insights"), "link": reverse("admin:insights")}],
        "found": found,
        "stored": stored,
        "summary": stored.summary if stored else {},
        "year": year,
        "years": sorted((row["year"] for row in growth), reverse=True),
        "brokers": brokers,
        "communities": _communities(stored, request.user) if stored else [],
        "growth": growth,
        "collaboration_types": [(name, label) for name, label in _collaboration_labels().items()],
    }
    return TemplateResponse(request, "admin/insights/network.html", context)


def _collaboration_labels() -> dict[str, str]:
    labels = {
        "regional": _("regional only"),
        "national": _("national"),
        "bilateral": _("international bilateral"),
        "trilateral": _("trilateral"),
        "four_or_more": _("four countries or more"),
    }
    assert tuple(labels) == COLLABORATION_TYPES
    return labels


def _every_year() -> NetworkMeasures | None:
    """The every-year result, whose growth table a one-year page shows too."""
    return NetworkMeasures.objects.filter(scope="staff", year=0).first()


def _site_context(request: HttpRequest) -> dict:
    from django.contrib import admin

    return admin.site.each_context(request)


def urls() -> list:
    """The page's address in the back office (added to ``admin.site.extra_urls``)."""
    from django.contrib import admin

    return [path("insights/", admin.site.admin_view(network_view), name="insights")]
