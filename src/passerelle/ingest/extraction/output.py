"""An extraction as JSON, in the shared shape (``shared/extraction/README.md``) with extras.

Mentions of one organization (its name, its acronym, "the Institute" again) are
one proposal with aliases; each proposal lists where it was found (``mentions``:
sentence and offsets) and the record it matches (``match``), from the gazetteer
or, for a name the rules or the model found, from the resolver, with its score
and reasons; ``match`` is null for a proposal of a new record.
"""

from __future__ import annotations

import threading

from passerelle.core.text import fold
from passerelle.ingest.resolution import confident_match, resolver_from_database

from .gazetteer import Known
from .mentions import Mention

_LOCK = threading.Lock()
_RESOLVER: dict[str, object] = {}


def resolver():
    from .gazetteer import _signature

    signature = _signature()
    with _LOCK:
        if _RESOLVER.get("signature") != signature:
            _RESOLVER["resolver"] = resolver_from_database()
            _RESOLVER["signature"] = signature
        return _RESOLVER["resolver"]


def _where(extraction, start: int, end: int) -> dict:
    sentence = next((s for s in extraction.sentences if s.start <= start < s.end + 1), None)
    where = {"start": start, "end": end, "text": extraction.text[start:end]}
    if sentence is not None:
        where |= {"sentence": sentence.text, "sentence_start": sentence.start,
                  "sentence_end": sentence.end}  # fmt: skip
    return where


def _match_known(known: Known, reason: str) -> dict:
    return {**known.as_match(), "score": 100.0, "reasons": [reason]}


def _organization_groups(extraction) -> tuple[list[dict], dict[int, dict]]:
    groups: list[dict] = []
    by_key: dict[str, dict] = {}
    of_mention: dict[int, dict] = {}
    orgs = [m for m in extraction.mentions if m.type == "organization"]
    resolve = None
    for mention in orgs:
        key = None
        if mention.known is not None:
            key = "record:" + mention.known.key
        else:
            key = "name:" + fold(mention.text)
            for alias in mention.aliases:
                if "name:" + fold(alias) in by_key:
                    key = "name:" + fold(alias)
        group = by_key.get(key)
        if group is None and mention.known is None:
            if resolve is None:
                resolve = resolver()
            found = confident_match(resolve.resolve(mention.text, country=mention.country))
            if found is not None:
                key = "record:" + str(found.key)
                group = by_key.get(key)
                if group is None:
                    group = _new_group(mention)
                    group["match"] = {"type": "organization", "id": str(found.key),
                                      "name": found.name, "score": round(found.score, 1),
                                      "reasons": found.reasons, "ror": found.ror}  # fmt: skip
                    by_key[key] = group
                    groups.append(group)
        if group is None:
            group = _new_group(mention)
            if mention.known is not None:
                reason = "exact acronym" if mention.text.isupper() else "exact name"
                group["match"] = _match_known(mention.known, f"{reason} (gazetteer)")
                group["candidates"] = [k.as_match() for k in mention.candidates[1:5]]
            by_key[key] = group
            groups.append(group)
        else:
            _add_form(group, mention.text)
        for alias in mention.aliases:
            _add_form(group, alias)
            by_key.setdefault("name:" + fold(alias), group)
        group["mentions"].append(_where(extraction, mention.start, mention.end))
        group["city"] = group["city"] or mention.city or None
        group["country"] = group["country"] or mention.country or None
        of_mention[id(mention)] = group
    for group in groups:  # the name as the text writes it: a full name before an acronym
        forms = [group["name"], *group["aliases"]]
        full = [f for f in forms if not f.isupper()]
        if full and group["name"].isupper():
            group["name"] = full[0]
            group["aliases"] = [f for f in forms if f != full[0]]
    return groups, of_mention


def _new_group(mention: Mention) -> dict:
    return {
        "name": mention.text,
        "aliases": [],
        "city": mention.city or None,
        "country": mention.country or None,
        "kind": mention.kind or (mention.known.kind if mention.known else "") or "other",
        "match": None,
        "source": mention.source,
        "mentions": [],
    }


def _add_form(group: dict, form: str) -> None:
    if fold(form) != fold(group["name"]) and all(fold(form) != fold(a) for a in group["aliases"]):
        group["aliases"].append(form)


def _person_match(extraction, mention: Mention) -> dict | None:
    from .gazetteer import gazetteer

    words = sorted(fold(w).strip(".") for w in mention.text.replace("-", " ").split())
    family = [w for w in words if len(w) > 1]
    for known in gazetteer().people:
        given = fold(known.extra.get("given", "")).replace("-", " ").strip(".").split()
        full = sorted([*given, *fold(known.extra.get("family", "")).replace("-", " ").split()])
        if full == words:
            return _match_known(known, "exact name")
        last = fold(known.extra.get("family", ""))
        if last in family and given and any(w[:1] == given[0][:1] for w in words if w != last):
            return {**known.as_match(), "score": 90.0, "reasons": ["same family name, initial"]}
    return None


def as_json(extraction) -> dict:
    organizations, of_mention = _organization_groups(extraction)
    people: list[dict] = []
    person_of: dict[int, dict] = {}
    by_name: dict[str, dict] = {}
    for mention in extraction.mentions:
        if mention.type != "person":
            continue
        key = " ".join(sorted(fold(w) for w in mention.text.split()))
        person = by_name.get(key)
        if person is None:
            person = {
                "name": mention.text,
                "title": mention.title or None,
                "affiliations": [],
                "role": mention.kind or None,
                "match": _person_match(extraction, mention),
                "source": mention.source,
                "mentions": [],
            }
            by_name[key] = person
            people.append(person)
        for alias in mention.aliases:
            group = next((g for g in organizations if alias in (g["name"], *g["aliases"])), None)
            name = group["name"] if group else alias
            if name not in person["affiliations"]:
                person["affiliations"].append(name)
        person["title"] = person["title"] or mention.title or None
        person["role"] = person["role"] or mention.kind or None
        person["mentions"].append(_where(extraction, mention.start, mention.end))
        person_of[id(mention)] = person
    places: list[dict] = []
    seen_places: set[tuple] = set()
    for mention in extraction.mentions:
        if mention.type != "place":
            continue
        key = (fold(mention.city) if mention.city else None, mention.country)
        if key in seen_places:
            continue
        seen_places.add(key)
        places.append(
            {
                "city": mention.city or None,
                "country": mention.country,
                "match": mention.known.as_match() if mention.known else None,
                "source": mention.source,
                "mentions": [_where(extraction, mention.start, mention.end)],
            }
        )
    activities = []
    for activity in extraction.activities:
        participants, roles = [], []
        for mention, role in activity.participants:
            holder = of_mention.get(id(mention)) or person_of.get(id(mention))
            name = holder["name"] if holder else mention.text
            if name in participants:
                continue
            participants.append(name)
            roles.append({"name": name, "role": role, "type": mention.type})
        details = activity.details
        item = {
            "kind": activity.kind,
            "label": activity.label,
            "date": activity.date.value if activity.date else None,
            "participants": participants,
            "location": activity.location or None,
            "details": details,
            "roles": roles,
            "category": activity.category or None,
            "sentence": activity.sentence.text,
            "start": activity.sentence.start,
            "end": activity.sentence.end,
            "trigger": {"start": activity.start, "end": activity.end},
        }
        if activity.edition:
            item["edition"] = activity.edition
        if activity.alternately:
            item["alternately_in"] = activity.alternately
        activities.append(item)
    topics, seen_topics = [], set()
    for start, end, known in extraction.topics:
        if known.key in seen_topics:
            continue
        seen_topics.add(known.key)
        topics.append({"name": known.name, "slug": known.kind, "id": known.key,
                       **_where(extraction, start, end)})  # fmt: skip
    return {
        "language": extraction.language,
        "published": extraction.published or None,
        "title": extraction.title or None,
        "organizations": organizations,
        "people": people,
        "places": places,
        "activities": activities,
        "dates": [
            {"text": d.text, "value": d.value or None, "start": d.start, "end": d.end}
            for d in extraction.dates
        ],
        "topics": topics,
    }
