"""The officer's daily work in the demo: what the seed says of series, delegations and
exchanges beyond the records of ``network.py``, and nothing it does not say.

- The Franco-Chinese seminars are "held alternately in Shanghai and Lyon": the series
  takes turns between China and France, in the order the seed names them. Which seminar
  was where, and when, the seed does not say: the editions keep no host and no date.
- The CLARA Scientific Days: a 7th edition (network.py); no cadence is stated.
- The Senegalese delegation came to "explore potential partnerships": an open follow-up
  action, owned by the demo account when there is one (an action has an owner; the seed
  names none, so it is whoever runs the demo). The seed states no due date; the demo gives
  it one a week after it is first loaded (DEMO_DUE_IN), kept on later loads, so that the
  officer's desk shows what a dated action looks like: due soon, then overdue.
- The Weizmann agreement's "researcher, physician and student exchanges": three exchanges
  that fulfil its exchange commitment, by category; the students' level is not stated
  (the category stays empty), nor their number, dates, direction or status.
- The Franco-Chinese PhD student and physician exchanges are already in network.py,
  part of the Shanghai program; nothing more is stated of them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from .network import CHINA_ACTIONS, SENEGAL, WEIZMANN, _activity, uid

#: The demo account (loading.DEMO_USERNAME), which owns the demo's follow-up action.
DEMO_OWNER = "demo"

#: The demo's follow-up action is due this long after the demo is first loaded: within the
#: desk's DUE_SOON, so that the desk shows it from the start (not a fact of the seed).
DEMO_DUE_IN = datetime.timedelta(days=7)

SENEGAL_FOLLOW_UP = {
    "id": uid("follow-up", "senegal-partnerships"),
    "action_en": "Explore potential partnerships in the field of cancer with the delegation",
    "action_fr": "Explorer des partenariats possibles dans le domaine du cancer avec la délégation",
    "status": "open",
}

WEIZMANN_EXCHANGES = [
    _activity(
        f"weizmann-exchange-{key}",
        "exchange",
        "mobility",
        title_en,
        title_fr,
        exchange_category=category,
        sentences=(WEIZMANN,),
    )
    for key, category, title_en, title_fr in (
        (
            "researchers",
            "researcher",
            "Researcher exchanges with Israel",
            "Échanges de chercheurs avec Israël",
        ),
        (
            "physicians",
            "physician",
            "Physician exchanges with Israel",
            "Échanges de médecins avec Israël",
        ),
        (
            "students",
            "",
            "Student exchanges with Israel",
            "Échanges d'étudiants avec Israël",
        ),
    )
]
for _exchange in WEIZMANN_EXCHANGES:
    _exchange["links"] = [
        {
            "relation": "fulfils",
            "object": uid("activity", "weizmann-agreement"),
            "commitment": uid("commitment", "weizmann-exchanges"),
        }
    ]


def _by_id(document: dict) -> dict[str, dict]:
    return {record["id"]: record for record in document["activities"]}


def extend(document: dict[str, Any]) -> dict[str, Any]:
    """The demo document with the officer's work the seed states (see the docstring)."""
    activities = _by_id(document)
    seminars = activities[uid("activity", "franco-chinese-seminars")]
    seminars["rotation_countries"] = ["CN", "FR"]
    assert CHINA_ACTIONS in [s["quotation"] for s in seminars["sources"]]
    delegation = activities[uid("activity", "senegal-delegation")]
    follow_ups = _kept_follow_ups(delegation["id"])  # staff's own actions stay
    if get_user_model().objects.filter(username=DEMO_OWNER).exists():
        follow_ups.setdefault(
            SENEGAL_FOLLOW_UP["id"],
            {
                **SENEGAL_FOLLOW_UP,
                "owner": DEMO_OWNER,
                "due": (datetime.date.today() + DEMO_DUE_IN).isoformat(),
                "sources": [_cited(SENEGAL)],
            },
        )
    if follow_ups:
        delegation["follow_ups"] = list(follow_ups.values())
    known = set(activities)
    document["activities"] += [e for e in WEIZMANN_EXCHANGES if e["id"] not in known]
    return document


def _kept_follow_ups(delegation_uid: str) -> dict[str, dict]:
    """The follow-up actions the delegation has now, as the document writes them: the
    demo states a delegation's parts in full, and must not delete what staff recorded."""
    from passerelle.activities.models import FollowUp
    from passerelle.ingest.interchange import PARTS
    from passerelle.ingest.interchange.format import is_empty, plain

    part = PARTS["follow_ups"]
    kept = {}
    rows = FollowUp.objects.filter(delegation__uid=delegation_uid).select_related("owner", "result")
    for row in rows:
        body = {"id": str(row.uid)}
        body.update({f: plain(getattr(row, f)) for f in part.fields})
        if row.owner_id:
            body["owner"] = row.owner.get_username()
        if row.result_id:
            body["result"] = str(row.result.uid)
        sources = [
            {"source": str(c.source.uid), "quotation": c.quotation, "locator": c.locator}
            for c in row.citations.select_related("source")
        ]
        body["sources"] = [{k: v for k, v in s.items() if v} for s in sources]
        kept[body["id"]] = {k: v for k, v in body.items() if not is_empty(v)}
    return kept


def _cited(sentence: str) -> dict:
    from .network import says

    return says(sentence)[0]
