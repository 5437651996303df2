"""/health for load balancers: is the database answering, is the cache?

Answered by a middleware ahead of the others: a balancer probes by IP address
and over plain HTTP, which the host check and the HTTPS redirect would refuse.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from .clients import client_address

PATH = "/health"


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:  # any failure is what the balancer must learn
        return f"failing: {type(error).__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("health:probe", time.time(), timeout=10)


def health_check_middleware(get_response):
    def middleware(request):
        if request.path != PATH:
            return get_response(request)
        checks = {"database": _check(_database), "cache": _check(_cache)}
        healthy = all(state == "ok" for state in checks.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response

    return middleware


def metrics(request):
    """Prometheus metrics, for the addresses in METRICS_ALLOWED_IPS only (a 404 elsewhere).

    The address is the client's behind the trusted proxies: behind a proxy on the same
    machine every request comes from 127.0.0.1, which must not open the metrics to all.
    """
    from django.conf import settings
    from django.http import Http404
    from django_prometheus.exports import ExportToDjangoView

    if client_address(request) not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return ExportToDjangoView(request)
