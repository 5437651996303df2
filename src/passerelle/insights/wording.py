"""An actor's brokerage role in words, for the pages: "a gatekeeper: links 12 partners
outside the region to 5 of its members they are not tied to".

The role said is the one of most open pairs, with the region as the group. On an
undirected graph gatekeeper and representative are one count (insights.brokerage); it is
said *gatekeeper* of a member of the region (the region's door for those outside) and
*representative* of an actor outside it (who speaks for those outside to the region).
Each sentence is whole in the catalogue, in both languages, with its plural forms.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from .brokerage import ROLES


def dominant_role(row: dict) -> str:
    """The role of most open pairs (see the module docstring), or "" for none."""
    counts = row["brokerage"]
    pairs = {
        "coordinator": counts.get("coordinator", 0) // 2,
        "gatekeeper": counts.get("gatekeeper", 0),
        "itinerant": counts.get("itinerant", 0) // 2,
        "liaison": counts.get("liaison", 0) // 2,
    }
    best = max(pairs, key=lambda role: (pairs[role], -ROLES.index(role)))
    if not pairs[best]:
        return ""
    if best == "gatekeeper" and not row["in_region"]:
        return "representative"
    return best


def role_label(role: str) -> str:
    return {
        "coordinator": gettext("coordinator"),
        "gatekeeper": gettext("gatekeeper"),
        "representative": gettext("representative"),
        "itinerant": gettext("itinerant broker"),
        "liaison": gettext("liaison"),
        "": gettext("no broker"),
    }[role]


def _across(row: dict) -> str:
    outside, inside = row.get("links_outside"), row.get("links_inside")
    if outside is None or inside is None:  # not counted (too many triangles): the pairs
        pairs = row["brokerage"]["gatekeeper"]
        return ngettext(
            "links %(count)d pair of a partner outside the region and a member of it not "
            "tied to each other",
            "links %(count)d pairs of a partner outside the region and a member of it not "
            "tied to each other",
            pairs,
        ) % {"count": pairs}
    partners = ngettext(
        "%(count)d partner outside the region", "%(count)d partners outside the region", outside
    ) % {"count": outside}
    members = ngettext(
        "%(count)d member of the region", "%(count)d members of the region", inside
    ) % {"count": inside}
    return gettext("links %(partners)s to %(members)s they are not tied to") % {
        "partners": partners,
        "members": members,
    }


def role_sentence(row: dict) -> str:
    """One actor's role in words (``row`` as insights.actors gives it)."""
    role = dominant_role(row)
    counts = row["brokerage"]
    if role == "gatekeeper":
        return gettext("a gatekeeper: %(what)s") % {"what": _across(row)}
    if role == "representative":
        return gettext("a representative: %(what)s") % {"what": _across(row)}
    if role == "coordinator":
        pairs = counts["coordinator"] // 2
        if row["in_region"]:
            text = ngettext(
                "a coordinator: links %(count)d pair of the region's members not tied to "
                "each other",
                "a coordinator: links %(count)d pairs of the region's members not tied to "
                "each other",
                pairs,
            )
        else:
            text = ngettext(
                "a coordinator: links %(count)d pair of partners outside the region not tied "
                "to each other",
                "a coordinator: links %(count)d pairs of partners outside the region not tied "
                "to each other",
                pairs,
            )
        return text % {"count": pairs}
    if role == "itinerant":
        pairs = counts["itinerant"] // 2
        if row["in_region"]:
            text = ngettext(
                "an itinerant broker: from the region, links %(count)d pair of partners "
                "outside it not tied to each other",
                "an itinerant broker: from the region, links %(count)d pairs of partners "
                "outside it not tied to each other",
                pairs,
            )
        else:
            text = ngettext(
                "an itinerant broker: from outside the region, links %(count)d pair of its "
                "members not tied to each other",
                "an itinerant broker: from outside the region, links %(count)d pairs of its "
                "members not tied to each other",
                pairs,
            )
        return text % {"count": pairs}
    if row["degree"] < 2:
        return gettext("no broker: it has fewer than two partners")
    return gettext("no broker: its partners are all tied to each other")
