"""What the figures pages show, for the back office and the portal alike: every figure
with its chart, the filters' choices, and a figure's CSV as a download.

The two pages differ only in their reader (the signed-in user, or the public), their
frame (the admin's template, the portal's) and their addresses; what they compute is
here, once.
"""

from __future__ import annotations

from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_countries import countries

from passerelle.activities.models import Activity
from passerelle.activities.vocabulary import Kind
from passerelle.core.users import AnyUser
from passerelle.registry.models import Organization

from .charts import draw
from .figure_tables import Filters, reader_of
from .figures import FIGURES, figure


def figures_context(user: AnyUser | None, filters: Filters) -> dict:
    """Every figure as a table with its chart (or none), and the filters' choices."""
    shown = []
    for compute in FIGURES.values():
        table = compute(user, filters)
        shown.append(
            {
                "table": table,
                "rows_shown": table.shown(),
                "chart": draw(table),
            }
        )
    return {"figures": shown, "filters": filters, "choices": choices(user)}


def choices(user: AnyUser | None) -> dict:
    """The filters' options: the kinds, the countries of partners, the regional members
    the reader reads."""
    reader = reader_of(user)
    members = (
        Organization.objects.restrict(reader, "view")
        .filter(in_region=True)
        .order_by("name")
        .values_list("pk", "name")
    )
    codes = (
        Organization.objects.restrict(reader, "view")
        .filter(place__isnull=False)
        .values_list("place__country", flat=True)
        .distinct()
    )
    years = [
        int(y)
        for y in Activity.objects.restrict(reader, "view")
        .annotate(year=Substr("start", 1, 4))
        .values_list("year", flat=True)
        .order_by()
        .distinct()
        if y and y.isdigit()
    ]
    return {
        "kinds": list(Kind.choices),
        "countries": sorted(
            ((c, str(countries.name(c))) for c in set(codes) if c), key=lambda x: x[1]
        ),
        "members": list(members),
        "first": min(years, default=None),
        "last": max(years, default=None),
    }


def csv_download(user: AnyUser | None, key: str, filters: Filters) -> HttpResponse:
    """One figure as a CSV file (404 for a figure that does not exist)."""
    if key not in FIGURES:
        raise Http404(_("There is no figure “%(key)s”.") % {"key": key[:40]})
    table = figure(key, user, filters)
    response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="figures-{key}.csv"'
    return response
