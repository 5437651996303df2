"""The public portal: pages anyone may read, built from public records only."""

from urllib.parse import quote

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .composition import Entry, international_relations


def _entry_json(entry: Entry) -> dict:
    activity = entry.activity
    return {
        "id": str(activity.uid),
        "kind": activity.kind,
        "category": activity.category,
        "title": activity.title,
        "text": strip_tags(entry.sentence),
        "parts": [_entry_json(part) for part in entry.parts],
    }


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain links to share a page: no third-party script or tracker on our pages."""
    url_q, text_q = quote(url, safe=""), quote(title, safe="")
    both = quote(f"{title} {url}", safe="")
    return [
        (_("E-mail"), f"mailto:?subject={text_q}&body={url_q}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url_q}"),
        ("X", f"https://x.com/intent/post?text={text_q}&url={url_q}"),
        ("Mastodon", f"https://mastodonshare.com/?text={text_q}&url={url_q}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={both}"),
    ]


def international_relations_page(request):
    sections = international_relations()
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "language": get_language(),
                "sections": [
                    {"key": s.key, "title": s.title, "entries": [_entry_json(e) for e in s.entries]}
                    for s in sections
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    url = request.build_absolute_uri(request.path)
    alternates = []
    for code in ("en", "fr"):
        with override(code):
            alternates.append(
                (code, request.build_absolute_uri(reverse("portal:international-relations")))
            )
    return render(
        request,
        "portal/international_relations.html",
        {
            "sections": sections,
            "canonical": url,
            "alternates": alternates,
            "share_links": share_links(url, _("International relations")),
        },
    )
