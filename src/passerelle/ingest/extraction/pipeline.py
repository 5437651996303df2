"""From a text to proposals: organizations, people, places, dates, topics and activities.

The proposals are in the shape of ``shared/extraction/README.md`` (what an
annotated development text holds too, so that one scorer reads both), with
more keys each: the sentence and the character offsets it comes from, and the
existing record it matches, with the resolver's score and reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from passerelle.core.text import fold

from .dates import DateMention, find_dates
from .gazetteer import Gazetteer, Known, gazetteer, tokenize
from .language import LANGUAGES, detect_language
from .mentions import Mention, find_mentions
from .reading import Document, ExtractionError
from .rules import Activity, sentence_activities
from .sentences import Sentence, split_sentences

_ROLE = re.compile(
    r"^\s*(?:,|\(|–|-)\s*(?P<role>(?:the |le |la |l')?(?:vice[- ])?(?:director|directrice|"
    r"directeur|president|presidente|head|chair|chairman|chairwoman|dean|ceo|coordinator|"
    r"coordinatrice|coordinateur|professor|professeur|professeure|researcher|chercheur|"
    r"chercheuse|oncologist|oncologue|manager|responsable|chef|minister|ministre|ambassador|"
    r"ambassadeur|ambassadrice|consul|secretary|secretaire|founder|fondateur|fondatrice|"
    r"deputy|general|delegate|delegue|deleguee|scientific|medical|chief|principal|"
    r"haematologist|hematologue|surgeon|chirurgien|physician|medecin|lead|leader)"
    r"[^,;()\n.]{0,90})",
    re.IGNORECASE,
)


@dataclass
class Extraction:
    text: str
    language: str
    published: str
    sentences: list[Sentence]
    mentions: list[Mention]
    dates: list[DateMention]
    topics: list[tuple[int, int, Known]]
    activities: list[Activity]
    title: str = ""
    groups: dict[str, dict] = field(default_factory=dict)  # organization key -> group

    def as_json(self) -> dict:
        from .output import as_json

        return as_json(self)


def extract_document(
    document: Document,
    *,
    language: str | None = None,
    use_model: bool = True,
    known: Gazetteer | None = None,
) -> Extraction:
    """Every proposal a document gives (nothing is written)."""
    text = document.text
    if not text.strip():
        raise ExtractionError(_("%(name)s has no text to read") % {"name": document.name or "text"})
    if language is None:
        language = detect_language(text)
        if language is None:
            raise ExtractionError(
                _("cannot tell the language of %(name)s: give it (fr or en)")
                % {"name": document.name or "the text"}
            )
    if language not in LANGUAGES:
        raise ExtractionError(
            _("unknown language %(language)s: use fr or en") % {"language": language}
        )
    known = known or gazetteer()
    entities: list[tuple[int, int, str]] = []
    parsed: dict[int, str] = {}
    if language == "fr" and use_model:
        from .nlp import parse_french

        entities, parsed = parse_french(text)
    tokens = tokenize(text)
    mentions = find_mentions(text, tokens, known, entities)
    sentences = split_sentences(text)
    dates = find_dates(text, document.published)
    topics = known.find_topics(tokens)
    topic_spans = [(tokens[i][1], tokens[j - 1][2], k) for i, j, k in topics]
    activities: list[Activity] = []
    previous: list[Mention] = []
    previous_paragraph = -1
    for sentence in sentences:
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        if sentence.paragraph != previous_paragraph and not _PRONOUN_OPENER.match(sentence.text):
            previous = []  # a new paragraph starts afresh, unless "It …" goes on
        found = sentence_activities(
            sentence,
            inside,
            [d for d in dates if sentence.start <= d.start < sentence.end],
            previous,
            {k: v for k, v in parsed.items() if sentence.start <= k < sentence.end},
        )
        if not found and activities and _ORDINAL_OPENER.match(sentence.text):
            found = _continued(activities[-1], sentence, inside)
        activities.extend(found)
        actors = [m for m in inside if m.type in ("organization", "person")]
        if actors:
            previous = [m for m in actors if m.type == "organization"][:1] or actors[:1]
        previous_paragraph = sentence.paragraph
    extraction = Extraction(
        text=text,
        language=language,
        published=document.published,
        sentences=sentences,
        mentions=mentions,
        dates=dates,
        topics=topic_spans,
        activities=_merge_repeats([a for a in activities if a.participants]),
        title=document.title,
    )
    _trim_countries(extraction)
    _place_organizations(extraction)
    _describe_people(extraction)
    return extraction


#: A sentence that goes on about the actor of an earlier paragraph.
_PRONOUN_OPENER = re.compile(
    r"^(?:it|they|its|their|the (?:cluster|institute|centre|center|network|university)|"
    r"il|elle|ils|elles|le (?:cluster|canceropole|cancéropôle|centre|réseau|reseau)|"
    r"l'institut|l'université)\b",
    re.IGNORECASE,
)
_ORDINAL_OPENER = re.compile(
    r"^(?:the (?:first|second|third|fourth|last|other)|le premier|la premi[eè]re|le second|"
    r"la seconde|le deuxi[eè]me|la deuxi[eè]me|le troisi[eè]me|la troisi[eè]me|l'autre)\b",
    re.IGNORECASE,
)


def _continued(previous: Activity, sentence: Sentence, inside: list[Mention]) -> list[Activity]:
    """ "Two projects… The first, with Milan, … (coordinated by X)": one more of the same."""
    from .rules import _COORDINATED, _fold_same_length

    folded = _fold_same_length(sentence.text)
    coordinated = _COORDINATED.search(folded)
    roles = [
        (m, "coordinator" if coordinated and m.start - sentence.start > coordinated.end()
         else "partner")
        for m in inside
        if m.type in ("organization", "person")
    ]  # fmt: skip
    supporters = [(m, r) for m, r in previous.participants if r in ("supporter", "funder")]
    if not roles:
        return []
    return [
        Activity(
            kind=previous.kind,
            label=sentence.text[:120],
            sentence=sentence,
            start=sentence.start,
            end=sentence.end,
            participants=[*roles, *supporters],
            details=sentence.text[:300],
            category=previous.category,
        )
    ]


def _merge_repeats(activities: list[Activity]) -> list[Activity]:
    """A heading and the sentence under it state one activity: keep the sentence's."""
    kept: list[Activity] = []
    for activity in activities:
        if kept:
            last = kept[-1]
            same = (
                last.kind == activity.kind and 0 < activity.sentence.start - last.sentence.end < 200
            )
            shared = {_actor_key(m) for m, _r in last.participants} & {
                _actor_key(m) for m, _r in activity.participants
            }
            if same and shared and _is_heading(last.sentence):
                kept[-1] = activity
                continue
            same_paragraph = last.sentence.paragraph == activity.sentence.paragraph
            if activity.kind == last.kind == "delegation" and same_paragraph:
                before = activity.sentence.text[: activity.start - activity.sentence.start]
                if re.search(r"\b(?:the|this|that|la|cette|le|ce)\s*$", before, re.IGNORECASE):
                    known = {_actor_key(m) for m, _r in last.participants}
                    last.participants += [
                        (m, r) for m, r in activity.participants if _actor_key(m) not in known
                    ]  # "the delegation" again: the one just named
                    continue
        kept.append(activity)
    return kept


def _actor_key(mention: Mention) -> str:
    return mention.known.key if mention.known else fold(mention.text)


def _is_heading(sentence: Sentence) -> bool:
    from .rules import _heading

    return _heading(sentence)


def _place_organizations(extraction: Extraction) -> None:
    """ "the Weizmann Institute in Rehovot, Israel", "(Israel)": where the text places it."""
    places = [m for m in extraction.mentions if m.type == "place"]
    text = extraction.text
    for mention in extraction.mentions:
        if mention.type != "organization":
            continue
        following = [p for p in places if 0 <= p.start - mention.end <= 14]
        if not following:
            continue
        gap = text[mention.end : following[0].start]
        if not re.fullmatch(r"\s*(?:\(|,|in|at|à|a|en|based in|de|du|\))?\s*", gap):
            continue
        first = following[0]
        if first.city:
            mention.city = first.city
            mention.country = first.country
        else:
            mention.country = first.country
        after = [p for p in places if 0 <= p.start - first.end <= 3 and not p.city]
        if first.city and after:
            mention.country = after[0].country


_TRAILING_COUNTRY = re.compile(r"\s+(?:du|de la|de l'|des|d'|of)\s*(?P<country>[\w' -]+)$")


def _trim_countries(extraction: Extraction) -> None:
    """ "Fondation Lalla Salma du Maroc": the organization of that country."""
    from .places import country_names

    for mention in extraction.mentions:
        if mention.type != "organization" or mention.known is not None:
            continue
        found = _TRAILING_COUNTRY.search(mention.text)
        if found and fold(found.group("country")) in country_names():
            words = mention.text[: found.start()].split()
            if len(words) >= 2:
                mention.country = country_names()[fold(found.group("country"))]
                mention.text = mention.text[: found.start()]
                mention.end = mention.start + len(mention.text)


def _describe_people(extraction: Extraction) -> None:
    text = extraction.text
    for mention in extraction.mentions:
        if mention.type != "person":
            continue
        from .rules import _fold_same_length

        role = _ROLE.match(_fold_same_length(text[mention.end : mention.end + 120]))
        mention.kind = ""
        if role:
            role_text = text[mention.end + role.start("role") : mention.end + role.end("role")]
            mention.kind = role_text.strip().rstrip(")")
            mention.aliases = [
                m.text
                for m in extraction.mentions
                if m.type == "organization"
                and mention.end <= m.start <= mention.end + role.end() + 2
            ]


def language_of(text: str) -> str | None:
    return detect_language(text)


def folded(text: str) -> str:
    return fold(text)
