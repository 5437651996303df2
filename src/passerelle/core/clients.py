"""Who is asking: the client's address, as the trusted reverse proxies report it.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy's own address: every client
would share one rate limit, one sign-in lockout and one line of the audit log,
and ``/metrics`` would be open to all. Each proxy appends the address it saw to
``X-Forwarded-For``; only the entries written by proxies we run can be believed,
the rest was written by the client. ``TRUSTED_PROXIES`` (the environment's
``PASSERELLE_TRUSTED_PROXIES``, 0 by default) says how many there are, and this
one function is what the rate limits, django-axes, ``/metrics`` and the audit log
ask. With 0, the header is ignored altogether.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str | None:
    """The address of the client behind ``TRUSTED_PROXIES`` proxies (``REMOTE_ADDR`` if none).

    With N trusted proxies the last proxy is ``REMOTE_ADDR`` and the client is the
    N-th entry from the right of ``X-Forwarded-For``; entries further left were
    written by the client and are never read. A header with fewer entries than
    proxies (a request that entered below the outermost one) gives its leftmost
    entry, which the innermost proxies wrote; an entry that is not an address gives
    ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    client = hops[-min(proxies, len(hops))]
    return client if _valid(client) else remote
