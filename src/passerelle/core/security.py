"""What the Content-Security-Policy allows beyond the strict default, and where."""

from __future__ import annotations

from functools import cache

from django.urls import reverse


def back_office_script_policy(get_response):
    """The back office's Alpine.js builds its expressions at run time: there, and only
    there, scripts may use eval. Nowhere do they run inline (``'unsafe-inline'``)."""

    def middleware(request):
        response = get_response(request)
        if request.path.startswith(_admin_prefixes()):
            response._csp_update = {"script-src": ["'unsafe-eval'"]}
        return response

    return middleware


@cache
def _admin_prefixes() -> tuple[str, ...]:
    from django.conf import settings
    from django.utils.translation import override

    prefixes = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            prefixes.append(reverse("admin:index"))
    return tuple(prefixes)
