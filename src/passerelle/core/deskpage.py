"""The desk's pages: the back office's index leads with it, ``desk/`` lists it whole.

The index (Unfold's dashboard, ``settings.UNFOLD["DASHBOARD_CALLBACK"]``) shows each
source's count and its most urgent items; ``admin/desk/`` every item, or one source's
with ``?source=``. Both read ``core.desk.gather`` for the signed-in user, so each shows
only what that user reads, and cost the sources' queries, which do not grow with the
data.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .desk import HEAD, SEVERITIES, DeskSection, days_word, gather
from .signals import desk_opened

#: How many items of each source the index shows before "all of them".
INDEX_ITEMS = 5
#: How many items of one source the desk page shows at most (the rest is counted).
PAGE_ITEMS = HEAD
SEVERITY_LABELS = {
    "info": _("to do"),
    "warning": _("important"),
    "danger": _("urgent"),
}
assert set(SEVERITY_LABELS) == set(SEVERITIES)


def _shown(section: DeskSection, limit: int, today) -> dict:
    items = [
        {
            "item": item,
            "severity_label": SEVERITY_LABELS[item.severity],
            "when": days_word((item.due - today).days) if item.due else "",
        }
        for item in section.items[:limit]
    ]
    return {
        "name": section.source.name,
        "heading": section.source.heading,
        "count": section.count,
        "failed": section.failed,
        "as_of": section.as_of,
        "severity": section.severity,
        "items": items,
        "more": section.count - len(items),
        "url": reverse("admin:desk") + f"?source={section.source.name}",
    }


def desk_context(request: HttpRequest, limit: int, only: str = "") -> dict:
    today = timezone.localdate()
    sections = [
        _shown(section, limit, today)
        for section in gather(request.user, today, whole=False)
        if not only or section.source.name == only
    ]
    desk_opened.send(sender=None, request=request)
    return {
        "desk_sections": sections,
        "desk_total": sum(s["count"] for s in sections),
        "desk_today": today,
        "desk_url": reverse("admin:desk"),
    }


def dashboard(request: HttpRequest, context: dict) -> dict:
    """Unfold's dashboard callback: the index leads with the desk."""
    context.update(desk_context(request, INDEX_ITEMS))
    return context


def desk_view(request: HttpRequest) -> TemplateResponse:
    """Every item of the desk, or of one source (``?source=name``)."""
    from django.contrib import admin

    only = request.GET.get("source", "")[:50]
    context = desk_context(request, PAGE_ITEMS, only)
    chosen = context["desk_sections"][0] if only and context["desk_sections"] else None
    title = chosen["heading"] if chosen else _("The desk")
    context.update(
        {
            **admin.site.each_context(request),
            "title": title,
            "header_parts": [{"title": _("The desk"), "link": reverse("admin:desk")}],
            "desk_only": only,
            "desk_unknown": bool(only) and chosen is None,
        }
    )
    status = 404 if context["desk_unknown"] else 200
    return TemplateResponse(request, "admin/desk.html", context, status=status)


def urls() -> list:
    """The desk's address in the back office (``admin.site.extra_urls``, Unfold's hook)."""
    from django.contrib import admin

    return [path("desk/", admin.site.admin_view(desk_view), name="desk")]
