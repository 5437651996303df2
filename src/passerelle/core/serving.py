"""The address the current request came in on, for what must name the serving site.

Records' IRIs (ingest.linked.iris) are built on ``PASSERELLE_PUBLIC_URL``. Where it is not
set — the demo, a trial on another host or port — an IRI built on a fixed default
(``http://localhost:8000``) would name a site that is not the one serving the page. The
middleware below keeps the request at hand for the time of the response, so that the IRIs
are then built on the address the reader used; outside a request (exports, commands) there
is none, and the configured addresses apply.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("passerelle_request", default=None)


def serving_address() -> str | None:
    """``scheme://host[:port]`` of the request being answered, or None outside one."""
    request = _request.get()
    if request is None:
        return None
    return f"{request.scheme}://{request.get_host()}"


def serving_address_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Keep the request being answered for ``serving_address``."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return get_response(request)
        finally:
            _request.reset(token)

    return middleware
