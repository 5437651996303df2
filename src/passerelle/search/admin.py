"""Back office of search: one box over what the user may read, and the matchmaker.

The model "Search entries" is the way in to search: its list is the search page
itself. "Find partners" has its own entry in the menu (navigation.py).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from unfold.admin import ModelAdmin

from passerelle.activities.models import Activity
from passerelle.core.users import AnyUser
from passerelle.core.visibility import entries_visible_to

from .engine import filters_from, search
from .matching import ACTORS, SCOPES, match, record_to_match
from .models import SearchEntry
from .networks import GROUPS, group_label
from .pages import admin_url, results_page

FILTERS = ("kind", "subkind", "country", "topic", "year", "role")


@admin.register(SearchEntry)
class SearchEntryAdmin(ModelAdmin):
    """Read-only: entries are written with their records (search.receivers)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # an entry's page shows the words of its record: the same rule as the record's
        return entries_visible_to(super().get_queryset(request), request.user)

    def get_urls(self):
        return [
            path("match/", self.admin_site.admin_view(self.match_view), name="search_match"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        params = {k: request.GET.get(k, "")[:200] for k in ("q", *FILTERS, "page")}
        number = int(params["page"]) if params["page"].isdigit() else 1
        results = search(params["q"], request.user, filters_from(request.GET), page=number)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Search"),
            "opts": self.model._meta,
            "header_parts": [
                {"title": _("Search and matchmaking"), "link": ""},
                {"title": _("Search"), "link": reverse("admin:search_searchentry_changelist")},
            ],
            "page": results_page(
                results, params, admin_url, reverse("admin:search_searchentry_changelist")
            ),
            "match_url": reverse("admin:search_match"),
        }
        return TemplateResponse(request, "admin/search/search.html", context)

    def match_view(self, request):
        text = request.GET.get("q", "")[:5000]
        kind = request.GET.get("kind", "")
        scope = request.GET.get("scope", "")
        if scope not in SCOPES and not (len(scope) == 2 and scope.isalpha()):
            scope = ""
        record = _record(request.GET.get("record", ""), request.user)
        found = (
            match(
                text,
                user=request.user,
                record=record,
                kind=kind if kind in GROUPS else "",
                scope=scope,
                limit=20,
            )
            if text.strip() or record
            else None
        )
        rows = []
        for suggestion in found.suggestions if found else []:
            model = Activity if suggestion.kind == "activity" else ACTORS[suggestion.kind]
            pk = model.objects.filter(uid=suggestion.uid).values_list("pk", flat=True).first()
            meta = model._meta
            rows.append(
                {
                    "suggestion": suggestion,
                    "url": reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk]),
                    "evidence": [{**e, "url": _activity_url(e["id"])} for e in suggestion.evidence],
                    "country": countries.name(suggestion.country) if suggestion.country else "",
                    "group": group_label(suggestion.group, suggestion.subkind),
                    # the fit as text in the reader's language, as a number in attributes
                    "fit": suggestion.score,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Find partners"),
            # its own place in the header, not "Search entries"
            "header_parts": [
                {"title": _("Search and matchmaking"), "link": ""},
                {"title": _("Find partners"), "link": reverse("admin:search_match")},
            ],
            "countries": partner_countries(request.user),
            "query": text,
            "kind": kind,
            "scope": scope,
            "record": record,
            "notes": found.notes if found else [],
            "rows": rows,
            "searched": found is not None,
        }
        return TemplateResponse(request, "admin/search/match.html", context)


def partner_countries(user: AnyUser) -> list[tuple[str, str]]:
    """The countries of the people and organizations the user may read, by name, for the
    country picker."""
    codes = (
        entries_visible_to(SearchEntry.objects.filter(kind__in=list(ACTORS)), user)
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, str(countries.name(code))) for code in codes), key=lambda c: c[1])


def _record(uid: str, user: AnyUser):
    try:
        return record_to_match(UUID(uid), user)
    except ValueError:
        return None


def _activity_url(uid: str) -> str:
    pk = Activity.objects.filter(uid=uid).values_list("pk", flat=True).first()
    return reverse("admin:activities_activity_change", args=[pk]) if pk else ""
