"""The back office of the officer's daily work: a series' editions and its next one, a
delegation's agenda and follow-up actions, exchanges and their figures.

``ActivityAdmin`` (admin.py) mixes :class:`WorkAdminMixin` in; the logic it shows lives
in ``series.py``, ``followups.py`` and ``exchanges.py``, shared with the API and the desk.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, StackedInline, TabularInline

from passerelle.core.admin import CitationInline
from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory, RestrictedInline
from passerelle.core.querysets import is_staff
from passerelle.core.widgets import ChoiceWidgetsMixin

from .exchanges import COLUMNS, FigureFilters, exchange_figures, totals
from .models import Activity, ActivityLink, AgendaItem, FollowUp
from .series import editions_of, host_country, next_edition, rotation_breaks
from .vocabulary import Category, Direction, ExchangeCategory, Kind, LinkRelation, Role


class AgendaItemInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    model = AgendaItem
    fk_name = "delegation"
    extra = 0
    fields = ["day", "time", "place", "meeting", "topic"]


class FollowUpInline(ChoiceWidgetsMixin, RestrictedInline, StackedInline):
    """Stacked: an action's wording needs the width a table row would not give it."""

    model = FollowUp
    fk_name = "delegation"
    extra = 0
    fields = [("action_en", "action_fr"), ("owner", "status"), ("due", "closed_on"), "result"]
    autocomplete_fields = ["result"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "result")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "owner" and field is not None:
            field.queryset = field.queryset.filter(is_staff=True, is_active=True)
        return field


@admin.register(FollowUp)
class FollowUpAdmin(
    ChoiceWidgetsMixin, RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin
):
    list_display = ["action_en", "delegation", "owner", "due", "status", "result"]
    list_select_related = ["delegation", "owner", "result"]
    list_filter = ["status", "due"]
    search_fields = ["action_en", "action_fr", "note", "delegation__title_en"]
    autocomplete_fields = ["delegation", "result"]
    fields = [
        "delegation",
        "action_en",
        "action_fr",
        "note",
        "owner",
        "due",
        "status",
        "closed_on",
        "result",
    ]
    inlines = [CitationInline]
    ordering = ["status", "due", "pk"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "owner" and field is not None:
            field.queryset = field.queryset.filter(is_staff=True, is_active=True)
        if db_field.name == "delegation" and field is not None:
            field.queryset = field.queryset.filter(kind=Kind.DELEGATION)
        return field


#: Unfold's look of a primary button, for the links that start a form.
BUTTON = "bg-primary-600 text-white rounded-default px-3 py-2 font-medium inline-block"


def _names(user, edition, roles) -> list[str]:
    rows = edition.participations.restrict(user, "view").filter(role__in=roles)
    return [str(p.actor) for p in rows.select_related("organization", "person")]


def _add_url(**params) -> str:
    return reverse("admin:activities_activity_add") + "?" + urlencode(params)


class WorkAdminMixin:
    """Series, delegations and exchanges on the activity's page (see the module docstring)."""

    work_readonly = ["series_editions", "agreement_exchanges"]

    # -- a series: its editions in order, its rotation, its next edition

    @admin.display(description=_("editions"))
    def series_editions(self, obj):
        if obj is None or obj.pk is None or obj.category != Category.EVENT_SERIES:
            return "—"
        editions = self._editions(obj)
        breaks = rotation_breaks(obj, editions)
        rows = format_html_join(
            "",
            "<tr class='border-t border-base-200'><td class='px-2 py-1'>{}</td>"
            "<td class='px-2 py-1'><a class='text-primary-600 underline' href='{}'>{}</a></td>"
            "<td class='px-2 py-1'>{}</td><td class='px-2 py-1'>{}</td>"
            "<td class='px-2 py-1'>{}</td><td class='px-2 py-1'>{}</td></tr>",
            (
                (
                    edition.edition or "—",
                    reverse("admin:activities_activity_change", args=[edition.pk]),
                    edition.title,
                    edition.interval_display or "—",
                    "; ".join(str(p) for p in edition.places.all()) or "—",
                    ", ".join(_names(obj._viewer, edition, (Role.ORGANIZER, Role.CO_ORGANIZER)))
                    or "—",
                    ", ".join(_names(obj._viewer, edition, (Role.SPEAKER,))) or "—",
                )
                for edition in editions
            ),
        )
        table = format_html(
            "<div class='overflow-x-auto'><table class='series-editions w-full border "
            "border-base-200'><thead><tr><th class='px-2 py-1 text-left'>{}</th>"
            "<th class='px-2 py-1 text-left'>{}</th><th class='px-2 py-1 text-left'>{}</th>"
            "<th class='px-2 py-1 text-left'>{}</th><th class='px-2 py-1 text-left'>{}</th>"
            "<th class='px-2 py-1 text-left'>{}</th></tr></thead><tbody>{}</tbody></table>"
            "</div>",
            _("No."),
            _("edition"),
            _("dates"),
            _("host"),
            _("organizers"),
            _("speakers"),
            rows or format_html("<tr><td colspan='6'>{}</td></tr>", _("No edition recorded.")),
        )
        warnings = format_html_join(
            "",
            "<p class='series-break mb-2 text-red-700 font-semibold' role='alert'>⚠ {}</p>",
            ((b,) for b in breaks),
        )
        fulfils = format_html_join(
            "",
            "<p class='series-fulfils mb-2'>{} <a class='text-primary-600 underline' "
            "href='{}'>{}</a>{}</p>",
            (
                (
                    _("Fulfils the agreement"),
                    reverse("admin:activities_activity_change", args=[link.object_id]),
                    link.object,
                    f" — {link.commitment}" if link.commitment_id else "",
                )
                for link in self._fulfils(obj)
            ),
        )
        proposal = next_edition(obj, editions)
        params = {"kind": Kind.EVENT, "edition": proposal["edition"], "part_of": obj.pk}
        params["title_en"] = f"{obj.title_en} ({proposal['edition']})"
        if obj.title_fr:
            params["title_fr"] = f"{obj.title_fr} ({proposal['edition']})"
        if proposal["category"]:
            params["category"] = proposal["category"]
        if proposal["start"]:
            params["start"] = proposal["start"]
        if proposal["place"] is not None:
            params["places"] = proposal["place"].pk
        button = format_html(
            "<p class='mt-3'><a class='next-edition " + BUTTON + "' href='{}'>{}</a> "
            "<span class='text-font-subtle-light'>{}</span></p>",
            _add_url(**params),
            _("Add the next edition"),
            _("(edition %(number)d%(host)s%(year)s, as the rotation and the cadence have it)")
            % {
                "number": proposal["edition"],
                "host": f", {proposal['place'] or proposal['country']}"
                if proposal["country"]
                else "",
                "year": f", {proposal['start']}" if proposal["start"] else "",
            },
        )
        return format_html("{}{}{}{}", warnings, fulfils, table, button)

    def _editions(self, series) -> list:
        if getattr(series, "_editions", None) is None:
            series._editions = editions_of(series)
        return series._editions

    def _fulfils(self, obj):
        return (
            ActivityLink.objects.restrict(obj._viewer, "view")
            .filter(subject=obj, relation=LinkRelation.FULFILS)
            .select_related("object", "commitment")
        )

    # -- an agreement: its exchanges, and recording one more

    @admin.display(description=_("exchanges under this agreement"))
    def agreement_exchanges(self, obj):
        if obj is None or obj.pk is None or obj.kind not in (Kind.AGREEMENT, Kind.PROGRAM):
            return "—"
        relation = LinkRelation.FULFILS if obj.kind == Kind.AGREEMENT else LinkRelation.PART_OF
        exchanges = (
            Activity.objects.restrict(obj._viewer, "view")
            .filter(kind=Kind.EXCHANGE, links_out__relation=relation, links_out__object=obj)
            .distinct()
        )
        listed = format_html_join(
            "",
            "<li><a class='text-primary-600 underline' href='{}'>{}</a></li>",
            (
                (reverse("admin:activities_activity_change", args=[e.pk]), e.title)
                for e in exchanges
            ),
        )
        button = format_html(
            "<p class='mt-3'><a class='record-exchange " + BUTTON + "' href='{}'>{}</a> "
            "<a class='text-primary-600 underline ml-2' href='{}'>{}</a></p>",
            _add_url(kind=Kind.EXCHANGE, category=Category.MOBILITY, **{relation: obj.pk}),
            _("Record an exchange under this agreement")
            if obj.kind == Kind.AGREEMENT
            else _("Record an exchange in this program"),
            reverse("admin:activities_activity_exchange_figures"),
            _("Exchange figures"),
        )
        return format_html("<ul class='list-disc ml-5'>{}</ul>{}", listed, button)

    # -- the pieces ActivityAdmin asks for

    def work_fieldsets(self, request, obj, kind: str | None) -> list:
        if obj is not None:
            obj._viewer = request.user  # the readonly displays show what this user reads
        sections = []
        if obj is not None and obj.pk and obj.category == Category.EVENT_SERIES:
            sections.append((_("Editions"), {"fields": ["series_editions"]}))
        if obj is not None and obj.pk and kind in (Kind.AGREEMENT, Kind.PROGRAM):
            sections.append((_("Exchanges"), {"fields": ["agreement_exchanges"]}))
        return sections

    def link_initial(self, request) -> list[dict]:
        """The link an add form starts with: ``?part_of=`` (the next edition of a series)
        or ``?fulfils=`` (an exchange under an agreement), if the user reads that activity."""
        for relation in (LinkRelation.PART_OF, LinkRelation.FULFILS):
            pk = request.GET.get(relation)
            if pk and pk.isdigit():
                target = Activity.objects.restrict(request.user, "view").filter(pk=pk).first()
                if target is not None:
                    return [{"relation": relation, "object": target.pk}]
        return []

    def warn_series(self, request, obj) -> None:
        """After a series or one of its editions is saved: what breaks the rotation, said."""
        series = [obj] if obj.category == Category.EVENT_SERIES else []
        series += [
            link.object
            for link in obj.links_out.filter(relation=LinkRelation.PART_OF).select_related("object")
            if link.object.category == Category.EVENT_SERIES
        ]
        for each in series:
            for problem in rotation_breaks(each):
                if obj.pk == each.pk or f"«{obj}»" in problem:
                    messages.warning(request, problem)

    # -- exchange figures

    def figures_urls(self) -> list:
        return [
            path(
                "exchange-figures/",
                self.admin_site.admin_view(self.figures_view),
                name="activities_activity_exchange_figures",
            )
        ]

    def figures_view(self, request):
        """The exchanges the user reads, counted (activities.exchanges); ?download=csv|xlsx."""
        if not (is_staff(request.user) and self.has_view_permission(request)):
            raise PermissionDenied
        filters = _filters(request.GET)
        rows = exchange_figures(request.user, filters)
        download = request.GET.get("download")
        if download in ("csv", "xlsx"):
            return _download(rows, download)
        query = request.GET.copy()
        query.pop("download", None)
        years = sorted({r.year for r in exchange_figures(request.user) if r.year}, reverse=True)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Exchange figures"),
            "opts": self.model._meta,
            "rows": [_shown(r) for r in rows],
            "total": _shown(totals(rows)),
            "filters": filters,
            "years": years,
            "categories": ExchangeCategory.choices,
            "directions": Direction.choices,
            "csv_url": "?" + urlencode({**query.dict(), "download": "csv"}),
            "xlsx_url": "?" + urlencode({**query.dict(), "download": "xlsx"}),
        }
        return TemplateResponse(request, "admin/activities/activity/exchange_figures.html", context)


def _filters(query) -> FigureFilters:
    year = query.get("year", "")
    category = query.get("category", "")
    direction = query.get("direction", "")
    country = query.get("country", "")[:2]
    return FigureFilters(
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        category=category if category in ExchangeCategory.values else "",
        direction=direction if direction in Direction.values else "",
        country=country.upper() if country.isalpha() else "",
    )


def _shown(row) -> dict:
    from django_countries import countries

    values = row.as_dict()
    values["category_label"] = (
        ExchangeCategory(row.category).label if row.category in ExchangeCategory.values else ""
    )
    values["direction_label"] = (
        Direction(row.direction).label if row.direction in Direction.values else ""
    )
    values["country_label"] = countries.name(row.country) if row.country else ""
    return values


def _download(rows, kind: str) -> HttpResponse:
    """The figures as a sheet: one header row of the column names, then the rows;
    unknown values are empty cells, numbers unlocalized."""
    table = [list(COLUMNS)] + [
        ["" if v is None else v for v in (r.as_dict()[c] for c in COLUMNS)] for r in rows
    ]
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(table)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "exchanges"
        for line in table:
            sheet.append(line)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="exchange-figures.{kind}"'
    return response


__all__ = ["FollowUpAdmin", "WorkAdminMixin", "host_country"]
