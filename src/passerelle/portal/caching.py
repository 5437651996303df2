"""Whole public pages, cached until any record changes.

Every page depends on many records (an activity's sentence names its partners,
their cities, the topics…), so rather than track which page depends on which
record, any change to a record drops every page at once: the cache key carries
the records' change clock (core.changes), which each save, delete or bulk load
renews. Pages are public and the same for everyone, so one cached copy serves
every reader.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from passerelle.core.changes import content_version


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a portal view from the cache while no record has changed."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        query = "&".join(sorted(f"{k}={v}" for k, v in request.GET.items()))
        address = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
        key = f"portal:{content_version()}:{get_language()}:{address}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse, such as the sitemap's
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), timeout=24 * 3600)
        return response

    return wrapper
