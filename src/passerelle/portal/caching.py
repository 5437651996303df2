"""Whole public pages, cached until one of the records or aggregates they read changes.

While a page renders, the code that reads records declares what it read (see
core.dependencies and portal.dependencies): the record of an organization's page, the
names of the partners it lists, ``country:FR`` for France's page, ``map``… The entry
keeps those keys with the versions they had; a later read serves it only if none moved,
so that an edit to a small partner leaves France, the map and the hub's page cached.

A view that does not declare what it reads (``precise=False``) depends on every change,
as all pages did before. Pages are public and the same for everyone, so one cached copy
serves every reader. Each response says ``X-Passerelle-Cache: hit`` or ``miss``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from passerelle.core import dependencies

HEADER = "X-Passerelle-Cache"
TIMEOUT = 24 * 3600


def page_key(request: HttpRequest) -> str:
    query = "&".join(sorted(f"{k}={v}" for k, v in request.GET.items()))
    # the host too: a page's IRIs may carry the address it was served on (ingest.linked.iris)
    address = hashlib.sha256(f"{request.get_host()}{request.path}?{query}".encode()).hexdigest()
    return f"portal:page:{get_language()}:{address}"


def cached_page(
    view: Callable[..., HttpResponse] | None = None, *, precise: bool = False
) -> Callable[..., HttpResponse]:
    """Serve a portal view from the cache while nothing it read has changed.

    ``precise``: the view declares what it reads; otherwise it depends on any change.
    """
    if view is None:
        return functools.partial(cached_page, precise=precise)
    base = dependencies.EVERYTHING if precise else dependencies.ANY

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type, stored = hit
            if dependencies.unchanged(stored):
                response = HttpResponse(content, content_type=content_type)
                response[HEADER] = "hit"
                return response
        start = dependencies.now()
        with dependencies.collecting() as read:
            read.add(base)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a TemplateResponse, such as the sitemap's
        if response.status_code == 200 and not response.streaming:
            stored = dependencies.versions(read, since=start)
            # a key renewed while the page was built: the page may hold the old rows
            if dependencies.fresh_since(stored, start):
                cache.set(key, (response.content, response["Content-Type"], stored), TIMEOUT)
        response[HEADER] = "miss"
        return response

    return wrapper
