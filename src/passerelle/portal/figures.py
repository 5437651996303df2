"""The public figures page (``/<lang>/figures/``): the desk of figures over public
records only, with charts, filters and a CSV per figure (insights.desk).

The portal's reader is the public (``None``), whoever is signed in: a member of staff
sees internal records in the back office's figures page, never here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from passerelle.insights.desk import csv_download, figures_context
from passerelle.insights.figure_tables import Filters

from .caching import cached_page


def figures_payload(filters: Filters, *, drawn: bool) -> dict:
    """The page as data: each figure's table (codes and numbers as stored, and as shown)
    and, for the HTML page, its chart."""
    context = figures_context(None, filters)
    query = urlencode(filters.as_query())
    figures = []
    for shown in context["figures"]:
        table, chart = shown["table"], shown["chart"]
        entry = {
            "key": table.key,
            "title": table.title,
            "note": table.note,
            "columns": table.columns,
            "headers": table.headers,
            "rows": table.rows,
            "csv_url": reverse("portal:figure-csv", kwargs={"key": table.key})
            + (f"?{query}" if query else ""),
            "description": chart.description if chart else "",
        }
        if drawn:
            entry.update({"table": table, "rows_shown": shown["rows_shown"], "chart": chart})
        figures.append(entry)
    return {"figures": figures, "filters": filters.as_query(), "choices": context["choices"]}


@cached_page
def figures_page(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    from .views import respond

    json = as_json or request.GET.get("format") == "json"
    filters = Filters.from_query(request.GET)
    payload = figures_payload(filters, drawn=not json)
    if not json:
        payload["filter_values"] = filters
    return respond(request, payload, "portal/figures.html", _("Figures"), as_json)


def figure_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One public figure as CSV."""
    return csv_download(None, key, Filters.from_query(request.GET))
