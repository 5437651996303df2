"""Rate limits: per address for anonymous clients, per token (or signed-in user) for the rest.

Ninja's own throttles key on ``request.auth``, which here is also set for
anonymous readers (an AnonymousUser): they would all share one budget. They
also read, extend and write back a list of times, so that concurrent requests
all see the same count and all pass; these count with one atomic step of the
shared cache (``core/ratelimits.py``), and take the client's address from the
trusted proxies only (``core/clients.py``). The rates are ``RATE_LIMITS`` in
the settings, read at each request.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from passerelle.core.clients import client_address
from passerelle.core.ratelimits import Rate, hit


class _CountedThrottle(BaseThrottle):
    """One instance serves every thread: what ``wait`` answers is kept per thread."""

    scope = ""

    def __init__(self) -> None:
        self._last = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_address(request)

    def allow_request(self, request: HttpRequest) -> bool:
        self._last.retry_after = None
        ident = self.ident(request)
        if ident is None:
            return True
        rate = Rate.parse(settings.RATE_LIMITS[self.scope])
        counted = hit(f"ratelimit:api-{self.scope}:{ident}", rate.seconds)
        self._last.retry_after = counted.retry_after
        return counted.within(rate)

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None)


class AnonymousThrottle(_CountedThrottle):
    scope = "anonymous"

    def ident(self, request: HttpRequest) -> str | None:
        if request.auth.is_authenticated:
            return None
        return f"address-{self.get_ident(request)}"


class ClientThrottle(_CountedThrottle):
    scope = "client"

    def ident(self, request: HttpRequest) -> str | None:
        if not request.auth.is_authenticated:
            return None
        token = getattr(request, "api_token", None)
        return f"token-{token.pk}" if token else f"user-{request.auth.pk}"
