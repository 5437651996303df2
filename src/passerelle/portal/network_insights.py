"""The network page's communities and roles: each organization drawn in its community's
colour, and its brokerage role said in words, with the same facts as tables.

They come from the measures stored for the public (insights.store, scope ``public``, every
year): the whole public network, whatever the page's filters, and never computed while a
reader waits. The page is cached as the portal's pages are (portal.caching), with the
stored result's stamp in the key as well: when the measures are renewed after a change,
the page is drawn again with them, and until then it says when they were computed.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from passerelle.core.changes import content_version
from passerelle.insights.actors import named, stored_rows
from passerelle.insights.freshness import Stored, current
from passerelle.insights.wording import dominant_role, role_label, role_sentence
from passerelle.registry.models import Organization

from .caching import HEADER

#: Colours of the largest communities on the page (Okabe and Ito's, told apart by readers
#: with a colour vision deficiency); the others share the last, grey.
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
OTHERS = "#BBBBBB"


def _stamp(found: Stored) -> str:
    stored = found.measures
    return f"{stored.pk}.{stored.version}" if stored else "none"


def cached_network_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """portal.caching.cached_page, with the stored measures' stamp in the key."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        found = current("public")
        request.network_measures = found
        query = "&".join(sorted(f"{k}={v}" for k, v in request.GET.items()))
        # the host too, as in portal.caching.page_key: IRIs may carry the serving address
        address = hashlib.sha256(f"{request.get_host()}{request.path}?{query}".encode())
        key = f"portal:{content_version()}:{_stamp(found)}:{get_language()}:{address.hexdigest()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), timeout=24 * 3600)
        response[HEADER] = "miss"
        return response

    return wrapper


def with_communities(payload: dict, found: Stored | None = None) -> dict:
    """The network page's payload with each node's community, colour and role, the
    communities' legend, and the measures' age."""
    found = found or current("public")
    stored = found.measures
    nodes = payload.get("nodes", [])
    payload["insights"] = {
        "computed_at": stored.computed_at if stored else None,
        "stale": found.stale,
        "communities": [],
        "modularity": stored.summary.get("modularity") if stored else None,
    }
    if stored is None or not nodes:
        return payload
    pks = dict(
        Organization.objects.filter(uid__in=[n["id"] for n in nodes], visibility="public")
        .values_list("uid", "pk")
        .order_by()
    )
    by_pk = {str(uid): pk for uid, pk in pks.items()}
    rows = stored_rows(stored, organization_id__in=list(by_pk.values()))
    measured = {row["pk"]: row for row in named(rows, AnonymousUser())}
    sizes = Counter(row["community"] for row in measured.values())
    coloured = sorted(sizes)  # numbered by size in the whole network: the largest first
    colour_of = {c: PALETTE[i] for i, c in enumerate(coloured[: len(PALETTE)])}
    for node in nodes:
        row = measured.get(by_pk.get(node["id"]))
        if row is None:
            node.update(community=None, colour=OTHERS, role="", role_sentence="")
            continue
        node.update(
            community=row["community"],
            colour=colour_of.get(row["community"], OTHERS),
            role=role_label(dominant_role(row)),
            role_sentence=role_sentence(row),
            betweenness=row["betweenness"],
        )
    payload["insights"]["communities"] = [
        {"number": c, "colour": colour_of.get(c, OTHERS), "shown": sizes[c]} for c in coloured
    ]
    payload["insights"]["others"] = len(coloured) > len(PALETTE)
    return payload
