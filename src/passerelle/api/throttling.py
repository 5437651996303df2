"""Rate limits: per address for anonymous clients, per token (or signed-in user) for the rest.

Ninja's own throttles key on ``request.auth``, which here is also set for
anonymous readers (an AnonymousUser): they would all share one budget.
"""

from ninja.throttling import SimpleRateThrottle


class AnonymousThrottle(SimpleRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request):
        if request.auth.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ClientThrottle(SimpleRateThrottle):
    scope = "client"

    def get_cache_key(self, request):
        if not request.auth.is_authenticated:
            return None
        token = getattr(request, "api_token", None)
        ident = f"token-{token.pk}" if token else f"user-{request.auth.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
