"""The back office's figures page (``admin/figures/``): every figure the signed-in
member of staff reads, with its chart, filters and CSV (insights.desk)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from passerelle.core.querysets import is_staff

from .desk import csv_download, figures_context
from .figure_tables import Filters


def figures_view(request: HttpRequest) -> HttpResponse:
    """The figures of what the user reads; ``?download=<figure>`` gives one as CSV."""
    from django.contrib import admin

    if not is_staff(request.user):
        raise PermissionDenied
    filters = Filters.from_query(request.GET)
    download = request.GET.get("download", "")
    if download:
        return csv_download(request.user, download, filters)
    context = {
        **admin.site.each_context(request),
        **figures_context(request.user, filters),
        "title": _("Figures"),
        "header_parts": [{"title": _("Figures"), "link": reverse("admin:figures")}],
    }
    for shown in context["figures"]:
        query = urlencode({**filters.as_query(), "download": shown["table"].key})
        shown["csv_url"] = f"{reverse('admin:figures')}?{query}"
    return TemplateResponse(request, "admin/insights/figures.html", context)


def urls() -> list:
    from django.contrib import admin

    return [path("figures/", admin.site.admin_view(figures_view), name="figures")]
