"""Who is asking: a token, a signed-in session, or nobody (who reads public records).

A token that is presented but wrong is a 401, never a silent fall back to
anonymous reading: an integration must learn its key was revoked.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from passerelle.access.audit import record
from passerelle.access.models import ApiToken, AuditEvent

#: A token's use is written to the audit log at most this often (and last_used as well).
USE_RECORDED_EVERY = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.find(token)
        if found is None:
            raise AuthenticationError(401, "Unknown or revoked API token.")
        request.user = found.user
        request.api_token = found
        if cache.add(f"api:token-used:{found.pk}", 1, USE_RECORDED_EVERY.total_seconds()):
            ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
            record(
                AuditEvent.Action.TOKEN_USED,
                request=request,
                user=found.user,
                target=str(found),
                detail={"path": request.path},
            )
        return found.user

    def __call__(self, request):
        if "Authorization" not in request.headers:
            return None  # no token presented: try the session, then anonymous
        return super().__call__(request)


class Session(SessionAuth):
    """The back office's signed-in session, its CSRF token checked on writes.

    A request with no session cookie is no session: it goes on to anonymous, so
    that a client without credentials learns it needs a token (401), not that a
    CSRF token it never had is missing (403).
    """

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


def anonymous(request):
    """Nobody signed in: reads public records only."""
    return AnonymousUser()


#: In order: a bearer token, the browser's session (CSRF checked on writes), anonymous.
AUTH = [TokenAuth(), Session(), anonymous]

#: Reads are open to anonymous clients (public records); a token or a session reads more.
#: OpenAPI says so with an empty requirement beside the two schemes (given to every read).
OPTIONAL_AUTH = {
    "security": [
        {},
        *({type(a).__name__: []} for a in AUTH if hasattr(a, "openapi_security_schema")),
    ]
}
