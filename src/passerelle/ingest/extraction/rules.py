"""Activities from the wording of a sentence, with their participants in roles.

Each rule is a trigger (the words that name the activity: "signed … agreement",
"accueilli une délégation", "7th edition of", "PhD student and physician
exchanges"), a region of the sentence it governs (from the clause it opens to the
next trigger), and the roles its wording gives ("between X, Y and Z" are parties,
what "hosted" a delegation is its host, "coordinated by" names a coordinator,
"supported by" a supporter). A trigger whose region names nobody takes the
subject of its sentence, else the actors of the sentence before ("CLARA …
Since 2011, it has…"). The French pipeline's parse, where there is one, names
the subject of "signer" or "accueillir" (``parsed``, spaCy's DependencyMatcher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from passerelle.core.text import fold

from .dates import DateMention
from .mentions import Mention
from .sentences import Sentence

_AGREEMENT_NOUN = (
    r"(?:agreements?|memorand(?:um|a)(?: of understanding)?|mous?|conventions?|accords?"
    r"(?:-cadres?)?|protocoles?|contrats?|contracts?|charters?|chartes?|letters? of intent|"
    r"lettres? d'intention)"
)
_AGREEMENT = re.compile(
    rf"\b(?:sign\w*|conclu\w*|renew\w*|renouvel\w*|ratif\w*|seal\w*|entered into|"
    rf"concluded|inked|formaliz\w*|formalis\w*)\b[^.;]{{0,80}}?\b(?P<noun>{_AGREEMENT_NOUN})\b|"
    rf"\b(?P<noun2>(?:partnership|cooperation|collaboration|framework|research|"
    rf"exchange) {_AGREEMENT_NOUN}|{_AGREEMENT_NOUN} (?:de |d')?(?:partenariat|cooperation|"
    rf"collaboration)|{_AGREEMENT_NOUN}(?= (?:between|entre|with|avec)))\b"
)
_DELEGATION = re.compile(
    r"\b(?:delegations?|delegations?|missions? (?:officielles?|of|from|d'etude|to)|"
    r"study visits?|official visits?|visite (?:officielle|d'etude)|visited|a visite|"
    r"ont visite|(?:came|come|travel+ed) to (?:visit|lyon|france))\b"
)
_EVENT = re.compile(
    r"\b(?P<ordinal>\d+)(?:st|nd|rd|th|e|eme|ere|re)\s+(?:edition|edition)\b|"
    r"\b(?:symposi(?:um|a)|symposiums|seminars?|seminaires?|colloques?|conferences?|congress|"
    r"congres|workshops?|ateliers?|forums?|summits?|sommets?|journees?|scientific days|"
    r"meetings?|rencontres?|webinars?|webinaires?|summer schools?|ecoles? d'ete|"
    r"days|hackathons?|masterclass(?:es)?|(?:dedicated |special |joint )?events?|"
    r"evenements?)\b"
)
_EXCHANGE = re.compile(
    r"\b(?:exchanges?|echanges?|mobilit(?:y|ies|e|es)|fellowships?|internships?|"
    r"stages?|visiting (?:researchers?|scientists?|students?)|secondments?)\b"
)
_EXCHANGE_WHO = re.compile(
    r"\b(?:phd|doctoral|doctorants?|students?|etudiants?|physicians?|medecins?|residents?|"
    r"internes?|researchers?|chercheurs?|scientists?|postdoc\w*|clinicians?|cliniciens?|"
    r"nurses?|infirmi\w+|master'?s?|young researchers?|jeunes chercheurs?|staff)\b"
)
_PROJECT = re.compile(
    r"\b(?:projects?|projets?|(?:have|has|had|ont) come together|joined forces|teamed up|"
    r"joignent leurs forces|unissent leurs forces|s'associent|se sont associes)\b"
)
_PROGRAM = re.compile(r"\b(?:programs?|programmes?|observator(?:y|ies)|observatoires?)\b")
_FUNDING = re.compile(
    r"\b(?:grants?|funding|financement|subventions?|funded by|finance(?:e|s)? par|bourses?|"
    r"awarded|prize|prix)\b"
)
_MEMBERSHIP = re.compile(
    r"\b(?:member(?:s|ship)?(?: \w+)? of|membres?(?: \w+)? (?:du|de|des)|joined|a rejoint|"
    r"ont rejoint|rejoint|"
    r"adhere\w*|adhesion)\b"
)
_BETWEEN = re.compile(r"\b(?:between|entre)\b")
_COORDINATED = re.compile(
    r"\b(?:coordinated|led|headed|directed|chaired|coordonnee?s?|pilotee?s?|dirigee?s?|"
    r"menee?s?|portee?s?) (?:by|par)\b"
)
_SUPPORTED = re.compile(
    r"\b(?:supported|funded|financed|sponsored|backed|soutenue?s?|financee?s?|"
    r"subventionnee?s?) (?:by|par)\b|\bwith (?:the )?support of\b|\bavec le soutien d"
)
_HOSTS = re.compile(r"\b(?:host\w*|receiv\w*|welcom\w*|accueil\w*|recu|recue|recus|re[cç]u\w*)\b")
_FROM = re.compile(r"\b(?:from|de|du|des|d')\b")
_ORGANIZED = re.compile(r"\b(?:organi[sz]\w*|co-organi[sz]\w*|jointly|conjointement)\b")
_ALTERNATELY = re.compile(
    r"\b(?:alternately|in turn|alternativement|en alternance|tour a tour)\s+"
    r"(?:in|en|a|au|aux)?\s*(?P<a>[^,;.]+?)\s+(?:and|et)\s+(?:in |en |a |au |aux )?"
    r"(?P<b>[\w-]+)",
)
_EDITION = re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th|e|eme|ere|re)\s+edition\b")


@dataclass
class Activity:
    kind: str
    label: str
    sentence: Sentence
    start: int  # the trigger's offsets in the text
    end: int
    participants: list[tuple[Mention, str]] = field(default_factory=list)  # (actor, role)
    date: DateMention | None = None
    location: str = ""
    details: str = ""
    category: str = ""
    edition: int | None = None
    alternately: list[str] = field(default_factory=list)


def _triggers(folded: str) -> list[tuple[int, int, str, re.Match]]:
    found = []
    for kind, pattern in (
        ("agreement", _AGREEMENT),
        ("delegation", _DELEGATION),
        ("event", _EVENT),
        ("exchange", _EXCHANGE),
        ("network_membership", _MEMBERSHIP),
        ("project", _PROJECT),
        ("program", _PROGRAM),
        ("funding", _FUNDING),
    ):
        for match in pattern.finditer(folded):
            if kind == "exchange" and not _EXCHANGE_WHO.search(
                folded[max(0, match.start() - 60) : match.end() + 60]
            ):
                continue
            if kind == "event" and match.group() == "days" and "scientific days" not in folded:
                continue
            if kind == "event" and match.group().startswith("meeting") and "annual" not in folded:
                continue
            found.append((match.start(), match.end(), kind, match))
    found.sort()
    kept: list[tuple[int, int, str, re.Match]] = []
    for item in found:  # one activity per stretch: "signing of a partnership agreement"
        if kept and item[0] < kept[-1][1]:
            continue
        edition = item[2] == "event" and item[3].group("ordinal")
        if kept and item[2] == kept[-1][2] and item[0] - kept[-1][1] < 40 and not edition:
            continue  # "projects … project" in one clause
        gap = item[0] - kept[-1][1] if kept else 0
        if kept and kept[-1][2] in ("program", "project") and item[2] == "exchange" and gap <= 4:
            kept[-1] = item  # "programme d'échanges": the exchange it is
            continue
        if kept and {item[2], kept[-1][2]} <= {"project", "program", "funding"} and gap < 25:
            continue  # "collaborative program … projects"
        kept.append(item)
    return kept


def sentence_activities(
    sentence: Sentence,
    mentions: list[Mention],
    dates: list[DateMention],
    previous_actors: list[Mention],
    parsed: dict[int, str] | None = None,
) -> list[Activity]:
    """The activities a sentence states; ``parsed`` maps actors' offsets to roles the parse
    gave them (the subject of "signer", "accueillir")."""
    text = sentence.text
    folded = _fold_same_length(text)
    triggers = _triggers(folded)
    if not triggers:
        return []
    base = sentence.start
    actors = [m for m in mentions if m.type in ("organization", "person")]
    places = [m for m in mentions if m.type == "place"]
    activities = []
    bounds = []
    for index, (start, end, _kind, _match) in enumerate(triggers):
        clause = max(
            (m.end() for m in re.finditer(r"[;:]|, (?=\w)", text[:start])),
            default=0,
        )
        if index == 0:
            clause = 0
        stop = triggers[index + 1][0] if index + 1 < len(triggers) else len(text)
        next_clause = max(
            (m.end() for m in re.finditer(r"[;:]|, (?=\w)", text[:stop])), default=stop
        )
        if index + 1 < len(triggers) and next_clause > end:
            stop = next_clause
        bounds.append((clause, stop))
    for (start, end, kind, match), (clause, stop) in zip(triggers, bounds, strict=True):
        region = [m for m in actors if clause <= m.start - base < stop]
        activity = Activity(
            kind=kind,
            label=_label(text, start, end, kind, match),
            sentence=sentence,
            start=base + start,
            end=base + end,
        )
        roles = _roles(folded, start, end, kind, region, base)
        if not roles:
            subject = [m for m in actors if m.start - base < triggers[0][0]]
            pool = subject or (previous_actors if not _heading(sentence) else []) or actors
            default = _default_role(kind)
            roles = [(m, parsed.get(m.start, default) if parsed else default) for m in pool]
        activity.participants = _unique(roles)
        in_region = [d for d in dates if clause <= d.start - base < stop and d.value]
        in_sentence = [d for d in dates if d.value] if len(triggers) == 1 else []
        activity.date = (in_region or in_sentence or [None])[0]
        located = [p for p in places if clause <= p.start - base < stop and p.city]
        if located:
            activity.location = located[0].city
        _details(activity, folded, text, start, stop)
        activities.extend(_refine(activity, folded, text, start, stop, previous_actors))
    return activities


def _heading(sentence: Sentence) -> bool:
    """A title line: no closing punctuation, a few words."""
    return not sentence.text.rstrip().endswith((".", "!", "?", ":", ";")) and (
        len(sentence.text.split()) <= 14
    )


_SUPPORTS = re.compile(r"\b(?:supports?|soutient|soutiennent|funds|finance|financent)\b")


def _refine(activity: Activity, folded: str, text: str, start: int, stop: int, previous):
    """What the wording says beyond the trigger: a network joined is a membership, one
    activity per item of "programs …: A (coordinated by X) and B (…)", the series of an
    edition, the supporter that "supports" it."""
    base = activity.sentence.start
    supports = _SUPPORTS.search(folded[:start])
    if supports:
        activity.participants = [
            (m, "supporter" if m.start - base < supports.start() else role)
            for m, role in activity.participants
        ]
    networks = [m for m, _r in activity.participants if m.kind == "network"]
    joined = re.search(r"\b(?:part|participat\w*|member\w*|membre|joined|rejoint)\b", folded)
    only_networks = networks and len(networks) == len(activity.participants)
    if activity.kind == "project" and only_networks and joined:
        members = [m for m in previous if m.type == "organization"][:1]
        split = []
        for network in networks:
            split.append(
                Activity(
                    kind="network_membership",
                    label=network.text,
                    sentence=activity.sentence,
                    start=network.start,
                    end=network.end,
                    participants=[(network, "host"), *((m, "member") for m in members)],
                    details=activity.details,
                    category="network_membership",
                )
            )
        return split
    colon = text.find(":", start, stop if stop > start else len(text))
    if activity.kind in ("program", "project") and colon != -1:
        items = re.split(r",\s+|\s+and\s+|\s+et\s+", text[colon + 1 :].strip().rstrip("."))
        items = [i for i in items if i[:1].isupper()]
        heads = [(m, r) for m, r in activity.participants if m.start - base < colon]
        if len(items) >= 2:
            split = []
            cursor = colon + 1
            for item in items:
                at = text.find(item, cursor)
                cursor = at + len(item)
                inside = [
                    (m, "coordinator" if _COORDINATED.search(folded, at, at + len(item)) else r)
                    for m, r in activity.participants
                    if at <= m.start - base < at + len(item)
                    and not text[m.start - base :].startswith(item.split()[0])
                ]
                name = re.split(r"\s*\(", item)[0].strip()
                split.append(
                    Activity(
                        kind=activity.kind,
                        label=name,
                        sentence=activity.sentence,
                        start=base + at,
                        end=base + at + len(name),
                        participants=[*heads, *inside],
                        details=item,
                        date=activity.date,
                    )
                )
            return [a for a in split if a.participants]
    if activity.kind == "event" and activity.edition:
        series = re.search(r"edition (?:of |de |du |des )?(?:its |the |la |le |les |ses )?(.+)",
                           text[start:stop])  # fmt: skip
        if series:
            name = series.group(1).strip().rstrip(".,")
            return [
                activity,
                Activity(
                    kind="event",
                    label=name,
                    sentence=activity.sentence,
                    start=activity.start,
                    end=activity.end,
                    participants=[(m, r) for m, r in activity.participants if r == "organizer"]
                    or activity.participants[:1],
                    details=name,
                    category="event_series",
                ),
            ]
    return [activity]


def _fold_same_length(text: str) -> str:
    folded = fold(text)
    if len(folded) != len(text):
        folded = "".join((fold(c) or c)[:1] for c in text)
    return folded.replace("’", "'")


def _label(text: str, start: int, end: int, kind: str, match: re.Match) -> str:
    if kind == "agreement":
        noun_start = match.start("noun") if match.group("noun") else match.start("noun2")
        noun_end = match.end("noun") if match.group("noun") else match.end("noun2")
        before = text[max(0, noun_start - 30) : noun_start].split()
        qualifier = before[-1] if before and before[-1].isalpha() and before[-1].islower() else ""
        words = text[noun_start:noun_end]
        after = re.match(
            r"(?:-cadre| de partenariat| de coopération| de cooperation| de collaboration|"
            r" of understanding| d'intention)",
            text[noun_end:],
        )
        if after:
            words += after.group()
        if qualifier and qualifier not in ("a", "an", "the", "un", "une", "of", "de", "d'"):
            return f"{qualifier} {words}"
        return words
    words = text[start:end]
    following = re.match(r"[^,;.()]{0,60}", text[end:]).group()
    if kind in ("event", "project", "program"):
        return (words + following).strip()[:120]
    return words


def _default_role(kind: str) -> str:
    return {
        "agreement": "party",
        "delegation": "host",
        "event": "organizer",
        "exchange": "participant",
        "project": "partner",
        "program": "coordinator",
        "funding": "funder",
        "network_membership": "member",
    }.get(kind, "participant")


def _roles(folded: str, start: int, end: int, kind: str, region: list[Mention], base: int):
    roles: list[tuple[Mention, str]] = []
    default = _default_role(kind)
    coordinated = _COORDINATED.search(folded, start)
    supported = _SUPPORTED.search(folded)
    hosts = _HOSTS.search(folded)
    for mention in region:
        at = mention.start - base
        role = default
        if kind == "delegation":
            if (hosts and at < hosts.start()) or at < start:
                role = "host"
            else:
                role = "visitor" if _FROM.search(folded[max(0, at - 8) : at]) else "host"
        elif kind == "event":
            role = "organizer" if _ORGANIZED.search(folded) or at < start else "participant"
        elif kind in ("project", "program"):
            role = "partner" if kind == "project" else "coordinator"
        if coordinated and at > coordinated.end() and kind in ("project", "program"):
            role = "coordinator"
        if supported and at > supported.end() and (at - supported.end()) < 40:
            role = "supporter" if kind not in ("funding",) else "funder"
        if kind == "agreement":
            role = "party"
        roles.append((mention, role))
    return roles


def _unique(roles: list[tuple[Mention, str]]) -> list[tuple[Mention, str]]:
    seen: set[str] = set()
    kept = []
    for mention, role in roles:
        key = mention.known.key if mention.known else fold(mention.text)
        if key in seen:
            continue
        seen.add(key)
        kept.append((mention, role))
    return kept


def _details(activity: Activity, folded: str, text: str, start: int, stop: int) -> None:
    region = folded[start:stop]
    if activity.kind == "event":
        edition = _EDITION.search(folded)
        if edition:
            activity.edition = int(edition.group("n"))
        alternately = _ALTERNATELY.search(folded, start)
        if alternately:
            activity.alternately = [
                text[alternately.start("a") : alternately.end("a")].strip(),
                text[alternately.start("b") : alternately.end("b")].strip(),
            ]
        for word, category in (
            ("symposi", "symposium"),
            ("seminar", "seminar"),
            ("seminaire", "seminar"),
            ("colloque", "symposium"),
            ("conferen", "conference"),
            ("scientific days", "scientific_days"),
            ("journees", "scientific_days"),
            ("workshop", "meeting"),
        ):
            if word in region:
                activity.category = category
                break
    if activity.kind == "exchange":
        who = sorted({m.group() for m in _EXCHANGE_WHO.finditer(folded)})
        activity.details = ", ".join(who)
    if activity.kind == "delegation":
        purpose = re.search(r"\b(?:to|pour|afin de|in order to)\b\s+([^.;]+)", text[start:])
        if purpose:
            activity.details = purpose.group(1).strip()[:200]
    if activity.kind == "agreement":
        areas = re.search(
            r"\b(?:in|on|dans|sur)\s+(?:the )?(?:\w+ )?(?:key )?(?:areas?|domaines?)\b", folded
        )
        if areas:
            activity.details = text[areas.start() :][:200]
    if not activity.details:
        activity.details = activity.sentence.text[:300]
