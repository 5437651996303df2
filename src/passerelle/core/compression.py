"""Gzip for the responses that carry no secret: the public portal, its JSON, the anonymous API.

BREACH-style attacks read a secret out of a compressed response by making the
victim's browser send many requests that reflect guesses next to it (a search
word echoed in the page) and watching the compressed length. They need the
secret and the attacker's words in one compressed body. So a response is
compressed only when it can hold no secret:

- the request carries no credentials: no signed-in session, no ``Authorization``
  header (a token's reader may see confidential records);
- it is not a back-office page (``/<language>/admin/``), which holds CSRF tokens
  and, signed in, internal and confidential records;
- no CSRF token was rendered into it (Django marks the request when one is asked
  for, as the sign-in form does), and it sets no cookie.

Everything else — the portal's pages and JSON twins, identical for every reader
and cached whole, the sitemap, the anonymous API over public records — is
compressed (the demo's map page goes from 123 KiB to 43 KiB). We do not rely
on Django's own mitigations alone (CSRF tokens masked afresh at each request,
and GZipMiddleware's random bytes in the gzip header, "Heal the Breach"): they
protect the CSRF token, not the confidential words on a signed-in page, and
random padding only makes the attack slower. Static files are compressed ahead
of time by WhiteNoise and do not come through here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

from .security import _admin_prefixes


def carries_no_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` may be compressed without a BREACH exposure (see above)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if request.META.get("HTTP_AUTHORIZATION") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if response.cookies:
        return False
    return not request.path.startswith(_admin_prefixes())


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the responses that :func:`carries_no_secret` allows."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not carries_no_secret(request, response):
            return response
        return super().process_response(request, response)
