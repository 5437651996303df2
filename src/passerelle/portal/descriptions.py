"""The one-sentence description of each portal page, for search engines and link previews.

A record's page says what the record says of itself (an activity's summary); the
other pages say what they are for. Always in the page's language, from the same
data the page is drawn from.
"""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _

#: Search engines show about this much; longer is cut at a word.
LENGTH = 200


def _purpose(kind: str) -> str:
    """What a page that is not about one record is for."""
    purposes = {
        "home": _(
            "The international relations of the cancer research cluster: programs, "
            "agreements, delegations, events and partners around the world, from its records."
        ),
        "international-relations": _(
            "The cancer research cluster's international programs, partnership agreements, "
            "delegations and events, section by section."
        ),
        "organizations": _(
            "Every organization in the network of the cancer research cluster, with where it is."
        ),
        "topics": _(
            "The research topics of the cancer research cluster's international activities, "
            "with the number of activities on each."
        ),
        "countries": _(
            "The countries of the organizations in the cancer research cluster's network, "
            "with how many organizations each."
        ),
        "map": _(
            "A map of where the partners of the region's cancer research organizations are, "
            "city by city, with the number of activities there."
        ),
        "network": _(
            "The network of partners of the cancer research cluster: which organizations took "
            "part in the same activities, and how often."
        ),
        "timeline": _(
            "Every public activity of the cancer research cluster's international relations, "
            "year by year."
        ),
        "timeline-undated": _(
            "The public activities of the cancer research cluster whose dates are not recorded."
        ),
        "search": _(
            "Search the organizations, people, activities, topics and places of the cancer "
            "research cluster's international relations."
        ),
        "not-found": _("This address does not lead to a page of the portal."),
    }
    return purposes.get(kind, purposes["home"])


def describe(page: dict) -> str:
    """The description of a page from the data it is drawn from."""
    kind = page.get("type", "")
    if kind in ("home", "international-relations") and page.get("introduction"):
        text = page["introduction"][0]
    elif kind == "activity":
        text = (
            page.get("summary")
            or page.get("purpose")
            or _("%(kind)s: %(title)s, in the cancer research cluster's international relations.")
            % {"kind": str(page["kind_label"]).capitalize(), "title": page["title"]}
        )
    elif kind == "organization":
        where = (
            page["place"]["country"]["name"]
            if page.get("place") and page["place"].get("country")
            else ""
        )
        text = _(
            "%(name)s (%(kind)s%(where)s): its activities and partners in the network of the "
            "cancer research cluster."
        ) % {"name": page["name"], "kind": page["kind"], "where": f", {where}" if where else ""}
    elif kind == "person":
        text = _(
            "%(name)s: affiliations and roles in the activities of the cancer research "
            "cluster's international relations."
        ) % {"name": page["name"]}
    elif kind == "topic":
        text = _(
            "%(topic)s: the activities, organizations and people of the cancer research "
            "cluster's international relations on this topic."
        ) % {"topic": page["name"]}
    elif kind == "country":
        text = _(
            "%(country)s: the collaborations and organizations of the cancer research "
            "cluster's network in this country."
        ) % {"country": page["name"]}
    elif kind == "section":
        text = _(
            "%(section)s: the activities of the cancer research cluster's international "
            "relations in this section."
        ) % {"section": page["title"]}
    elif kind == "activity-list":
        text = _(
            "All the activities of %(name)s in the cancer research cluster's international "
            "relations."
        ) % {"name": page["of"]["name"]}
    elif kind == "timeline-year":
        text = _(
            "The activities of the cancer research cluster's international relations that "
            "began in %(year)s."
        ) % {"year": page["year"]}
    else:
        text = _purpose(kind)
    return Truncator(" ".join(str(text).split())).chars(LENGTH)
