"""The back office's annual report page (``admin/annual-report/``): choose a year, a
language and a format, and download the report (kept as made, portal.models.Report)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from passerelle.core.querysets import is_staff

from .render import CONTENT_TYPES, FORMATS, make


def report_view(request: HttpRequest) -> HttpResponse:
    from django.contrib import admin

    from ..models import Report

    if not is_staff(request.user):
        raise PermissionDenied
    year, language, kind = (
        request.GET.get("year", ""),
        request.GET.get("lang", ""),
        request.GET.get("format", ""),
    )
    error = ""
    if year:
        if not (year.isdigit() and len(year) == 4):
            error = _("The year “%(year)s” is not a year such as 2024.") % {"year": year[:10]}
        elif language not in ("en", "fr") or kind not in FORMATS:
            error = _("Choose a language and a format.")
        else:
            content = make(int(year), language, kind, request.user)
            response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
            name = f"report-{year}-{language}.{kind}"
            disposition = "inline" if kind == "html" else "attachment"
            response["Content-Disposition"] = f'{disposition}; filename="{name}"'
            return response
    context = {
        **admin.site.each_context(request),
        "title": _("The annual report"),
        "header_parts": [{"title": _("The annual report"), "link": reverse("admin:annual-report")}],
        "error": error,
        "this_year": timezone.localdate().year - 1,
        "formats": FORMATS,
        "made": Report.objects.select_related("made_by").defer("content")[:20],
    }
    return TemplateResponse(
        request, "admin/portal/annual_report.html", context, status=400 if error else 200
    )


def urls() -> list:
    from django.contrib import admin

    return [path("annual-report/", admin.site.admin_view(report_view), name="annual-report")]
