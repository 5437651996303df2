"""Mentions of organizations, people, places and topics in a text, with their offsets.

In this order, each later step leaving alone what an earlier one found: the
gazetteer (records and ROR data), rules for names that carry their kind
("… Cancer Institute", "Université de …", "Pr. C. Brambilla", "(DKFZ)"),
countries and demonyms in both languages, then the statistical NER of the
French pipeline where there is one, for what the gazetteer lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from passerelle.core.text import fold

from .gazetteer import NOT_ACRONYMS, Gazetteer, Known, key_of
from .places import countries_of_word, country_names

#: Words that make a capitalized phrase an organization, with the kind they give it.
HEADS = {
    "institute": "institute", "institut": "institute", "instituto": "institute",
    "istituto": "institute", "institutet": "institute", "university": "university",
    "universite": "university", "universitat": "university", "universidad": "university",
    "universita": "university", "college": "university", "school": "university",
    "ecole": "university", "faculty": "university", "faculte": "university",
    "centre": "institute", "center": "institute", "centro": "institute", "zentrum": "institute",
    "hospital": "hospital", "hopital": "hospital", "hospitalier": "hospital",
    "hospitals": "hospital", "clinic": "hospital", "clinique": "hospital", "klinik": "hospital",
    "chu": "hospital", "hcl": "hospital", "foundation": "funder", "fondation": "funder",
    "fundacion": "funder", "society": "other", "societe": "other", "agency": "agency",
    "agence": "agency", "ministry": "government", "ministere": "government",
    "council": "agency", "conseil": "agency", "canceropole": "cluster", "cluster": "cluster",
    "clusters": "cluster", "network": "network", "reseau": "network", "consortium": "network",
    "association": "other", "alliance": "network", "academy": "other", "academie": "other",
    "laboratory": "institute", "laboratoire": "institute", "lab": "institute",
    "organisation": "agency", "organization": "agency", "group": "other", "groupe": "other",
    "department": "other", "departement": "other", "inserm": "institute", "cnrs": "institute",
    "unit": "institute", "unite": "institute", "authority": "agency", "commission": "agency",
    "region": "government", "government": "government", "gouvernement": "government",
    "embassy": "government", "ambassade": "government", "consulate": "government",
    "consulat": "government", "inc": "company", "ltd": "company", "gmbh": "company",
    "sas": "company", "pharma": "company", "therapeutics": "company", "biotech": "company",
    "pharmaceuticals": "company", "laboratories": "company", "ag": "company",
    "krebsforschungszentrum": "institute", "krebsforchungszentrum": "institute",
    "ihu": "institute", "irccs": "hospital",
    "medical": None, "cancer": None,
}  # fmt: skip
#: Lower-case words allowed inside a name between capitalized ones.
CONNECTORS = {"of", "for", "on", "de", "du", "des", "d'", "la", "le", "l'", "&", "y", "di", "del",
              "della", "der", "fur", "für", "und", "en", "et", "and"}  # fmt: skip
#: Capitalized at the start of a sentence without being part of a name.
OPENERS = {"the", "le", "la", "les", "l'", "at", "in", "with", "since", "a", "an", "both", "by",
           "for", "from", "to", "this", "these", "au", "aux", "en", "avec", "depuis", "pour",
           "par", "chez", "during", "lors", "on", "of", "and", "et", "un", "une", "des", "du",
           "de", "d'", "its", "their", "his", "her", "our", "ce", "cette", "ces", "sa", "son",
           "ses", "leur", "leurs", "as", "after", "apres", "while", "when", "then",
           "teams", "today", "aujourd'hui"}  # fmt: skip
TITLES = {
    "pr": "Pr.", "prof": "Pr.", "professor": "Pr.", "professeur": "Pr.", "professeure": "Pr.",
    "dr": "Dr.", "docteur": "Dr.", "doctor": "Dr.", "docteure": "Dr.", "mr": "Mr", "m": "Mr",
    "monsieur": "Mr", "mrs": "Ms", "ms": "Ms", "mme": "Ms", "madame": "Ms", "miss": "Ms",
}  # fmt: skip
NOT_PEOPLE = {"symposium", "symposia", "congress", "conference", "prize", "award", "lecture",
              "program", "programme", "days", "forum", "summit", "initiative", "fund"}  # fmt: skip
PARTICLES = {"de", "van", "von", "da", "di", "du", "le", "la", "del", "der", "ben", "el", "al"}


@dataclass
class Mention:
    type: str  # organization, person, place, topic
    start: int
    end: int
    text: str
    source: str  # gazetteer, rule, ner, country, demonym
    known: Known | None = None
    candidates: list[Known] = field(default_factory=list)
    kind: str = ""
    country: str = ""
    city: str = ""
    title: str = ""
    aliases: list[str] = field(default_factory=list)


@cache
def first_names() -> frozenset[str]:
    """Given names in the languages the releases name people in (Faker's lists, offline)."""
    import importlib

    names: set[str] = set()
    for locale in ("en_US", "en_GB", "fr_FR", "de_DE", "it_IT", "es_ES", "pt_PT", "nl_NL"):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attribute, ())
            names.update(fold(n) for n in (value.keys() if isinstance(value, dict) else value))
    return frozenset(n for n in names if len(n) > 2)


def _capitalized(token: str) -> bool:
    return token[:1].isupper()


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return (
        len(letters) >= 2
        and upper >= 2
        and token[:1].isupper()
        and (upper == len(letters) or (upper >= 3 and token[:2].isupper()))
        and token.upper() not in NOT_ACRONYMS
    )


def find_mentions(
    text: str,
    tokens: list[tuple[str, int, int]],
    gazetteer: Gazetteer,
    ner: list[tuple[int, int, str]] | None = None,
) -> list[Mention]:
    """The mentions of a text, without overlaps, in the order they appear."""
    taken = [False] * len(tokens)
    mentions: list[Mention] = []

    def free(i: int, j: int) -> bool:
        return not any(taken[i:j])

    def take(i: int, j: int, mention: Mention) -> None:
        for k in range(i, j):
            taken[k] = True
        mentions.append(mention)

    def span(i: int, j: int) -> tuple[int, int, str]:
        start, end = tokens[i][1], tokens[j - 1][2]
        return start, end, text[start:end]

    # 1. the gazetteer's organizations and people; its places after the rules' names
    places: list[tuple[int, int, list[Known]]] = []
    for i, j, candidates in gazetteer.find(text, tokens):
        orgs = [k for k in candidates if k.type == "organization"]
        if orgs:
            best = _choose(orgs)
            start, end, surface = span(i, j)
            take(i, j, Mention("organization", start, end, surface, "gazetteer", best, orgs,
                               kind=best.kind))  # fmt: skip
        elif any(k.type == "place" for k in candidates):
            places.append((i, j, [k for k in candidates if k.type == "place"]))
    # 2. people by their titles, 3. names that carry their kind, then people by given name
    _people(text, tokens, taken, take, span, titled=True)
    for i, j, kind in _named_organizations(tokens):
        if free(i, j):
            start, end, surface = span(i, j)
            take(i, j, Mention("organization", start, end, surface, "rule", kind=kind))
    _people(text, tokens, taken, take, span, titled=False)
    # 4. an acronym in parentheses after a name is its alias; other acronyms are names
    _acronyms(text, tokens, taken, take, span, mentions)
    # 5. places: known cities outside names, countries and demonyms
    for i, j, candidates in places:
        if free(i, j):
            start, end, surface = span(i, j)
            best = candidates[0]
            take(i, j, Mention("place", start, end, surface, "gazetteer", best, candidates,
                               country=best.country, city=best.name))  # fmt: skip
    _countries(text, tokens, taken, take, span)
    # 6. what the statistical model saw and nothing else did
    for start, end, label in ner or []:
        i = next((k for k, t in enumerate(tokens) if t[1] >= start), None)
        j = next((k for k, t in enumerate(tokens) if t[2] >= end), None)
        if i is None or j is None or not free(i, j + 1):
            continue
        surface = text[start:end]
        words = surface.split()
        if label == "PER" and len(words) >= 2 and all(w[:1].isupper() for w in words):
            take(i, j + 1, Mention("person", start, end, surface, "ner"))
        elif label == "ORG" and surface[:1].isupper() and len(surface) > 2:
            if fold(surface) in country_names() or fold(words[0]) in OPENERS:
                continue
            take(i, j + 1, Mention("organization", start, end, surface, "ner", kind="other"))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _choose(candidates: list[Known]) -> Known:
    """The project's own record before one only imported; else the first."""
    own = [k for k in candidates if k.own]
    return (own or candidates)[0]


def _named_organizations(tokens: list[tuple[str, int, int]]):
    """Runs of capitalized words (and the connectors between them) holding a head word."""
    i = 0
    n = len(tokens)
    while i < n:
        lower_head = _lower_head(tokens, i)
        if lower_head:
            yield i, lower_head[0], lower_head[1]
            i = lower_head[0]
            continue
        if not _capitalized(tokens[i][0]) or not tokens[i][0][:1].isalpha():
            i += 1
            continue
        j = i
        last_cap = i
        while j < n:
            word = tokens[j][0]
            if _capitalized(word) and word[:1].isalpha():
                last_cap = j
            elif key_of(word) in ("and", "et") and _and_inside(tokens, i, j):
                pass
            elif key_of(word) not in CONNECTORS or key_of(word) in ("and", "et"):
                break
            j += 1
        start, end = i, last_cap + 1
        tail = end
        while tail < n and tail - end < 3 and key_of(tokens[tail][0]) in _LOWER_HEAD_WORDS:
            tail += 1
        if tail > end and key_of(tokens[tail - 1][0]) in ("cluster", "clusters", "network"):
            end = tail
        while start < end and key_of(tokens[start][0]) in OPENERS:
            start += 1
        words = [key_of(t[0]) for t in tokens[start:end]]
        capitals = [w for w, t in zip(words, tokens[start:end], strict=True) if _capitalized(t[0])]
        if len(capitals) == 1 and (capitals[0] in _ADJECTIVES or countries_of_word(capitals[0])):
            i = max(last_cap + 1, i + 1)
            continue  # "European cancer research clusters", "Spanish clusters"
        kinds = [HEADS[w] for w in words if HEADS.get(w)]
        if (kinds and end - start >= 2 and words[-1] not in CONNECTORS) or (
            kinds and end - start == 1 and words[0] in ("inserm", "cnrs", "chu", "hcl", "ihu")
        ):
            yield start, end, kinds[0]
        i = max(last_cap + 1, i + 1)


#: French names that begin with a lower-case common noun: "hôpital de la Pitié-Salpêtrière".
_LOWER_STARTS = {"institut", "hopital", "centre", "universite", "faculte", "laboratoire",
                 "ecole", "clinique", "fondation", "groupe", "reseau"}  # fmt: skip


def _lower_head(tokens, i: int) -> tuple[int, str] | None:
    """(end, kind) of a name opened by a lower-case head and closed by capitalized words."""
    word = tokens[i][0]
    if not word.islower() or key_of(word) not in _LOWER_STARTS:
        return None
    j = i + 1
    while (
        j < len(tokens) and j - i <= 6 and tokens[j][0].islower() and tokens[j][0].isalpha()
    ) or (j < len(tokens) and key_of(tokens[j][0]) in ("d'", "l'")):
        j += 1
    if j >= len(tokens) or j == i + 1 or not _capitalized(tokens[j][0]):
        return None
    if key_of(tokens[j - 1][0]) not in CONNECTORS:
        return None  # "centre ville Lyon": the capital must follow "de", "du", "des"
    while j < len(tokens) and (_capitalized(tokens[j][0]) and tokens[j][0][:1].isalpha()):
        j += 1
    return j, HEADS.get(key_of(word)) or "other"


def _and_inside(tokens, start: int, at: int) -> bool:
    """ "Ministry of Science and Technology": an "and" between two words after "of"."""
    words = [key_of(t[0]) for t in tokens[start:at]]
    after_of = any(
        w in HEADS and k + 1 < len(words) and words[k + 1] in ("of", "for", "de", "du", "des")
        for k, w in enumerate(words)
    )
    nxt = tokens[at + 1][0] if at + 1 < len(tokens) else ""
    following = tokens[at + 2][0] if at + 2 < len(tokens) else ""
    return (
        after_of
        and _capitalized(tokens[at - 1][0])
        and _capitalized(nxt)
        and key_of(nxt) not in HEADS
        and not _capitalized(following)
    )


_ADJECTIVES = {"european", "international", "national", "regional", "global", "europeen",
               "europeens", "europeennes", "internationaux", "two", "three"}  # fmt: skip
_LOWER_HEAD_WORDS = {"cancer", "research", "cluster", "clusters", "network", "biotech"}


def _acronyms(text, tokens, taken, take, span, mentions) -> None:
    by_end = {m.end: m for m in mentions if m.type == "organization"}
    aliases: dict[str, Mention] = {}
    for k, (word, _s, _e) in enumerate(tokens):
        if taken[k] or not _is_acronym(word):
            continue
        if "-" in word and all(_is_acronym(part) for part in word.split("-")):
            continue  # "FUSCC-CRIKU symposium", "JCOG-EORTC": a joint thing, named by both
        previous = tokens[k - 1][0] if k else ""
        owner = None
        if previous == "(" and k >= 2:
            owner = by_end.get(tokens[k - 2][2])
        if owner is not None:
            owner.aliases.append(word)
            aliases[word] = owner
            taken[k] = True
            continue
        start, end, surface = span(k, k + 1)
        if fold(word) in country_names() and len(word) <= 3:
            continue  # "UK", "USA" are countries
        alias_of = aliases.get(word)
        mention = Mention("organization", start, end, surface, "rule", kind="other")
        if alias_of is not None:
            mention.known = alias_of.known
            mention.kind = alias_of.kind
            mention.aliases = [alias_of.text]
        take(k, k + 1, mention)


def _countries(text, tokens, taken, take, span) -> None:
    names = country_names()
    i = 0
    while i < len(tokens):
        if taken[i]:
            i += 1
            continue
        hit = None
        for length in (4, 3, 2, 1):
            if i + length > len(tokens) or any(taken[i : i + length]):
                continue
            words = [key_of(t[0]).replace("-", " ") for t in tokens[i : i + length]]
            if words[0] in ("the", "l'", "la", "le"):
                continue
            key = " ".join(words)
            if key in names and _capitalized(tokens[i][0]):
                hit = (length, [names[key]], "country")
                break
        if hit is None:
            codes = countries_of_word(tokens[i][0])
            if codes and not (len(tokens[i][0]) <= 3):
                hit = (1, codes, "demonym")
        if hit is None:
            i += 1
            continue
        length, codes, source = hit
        start, end, surface = span(i, i + length)
        for code in codes:
            take(i, i + length, Mention("place", start, end, surface, source, country=code))
        i += length


def _people(text, tokens, taken, take, span, *, titled: bool) -> None:
    given = first_names()
    n = len(tokens)
    i = 0
    while i < n:
        word = tokens[i][0]
        title = TITLES.get(key_of(word)) if _capitalized(word) else None
        start = i
        if title and word == "M" and not (i + 1 < n and tokens[i + 1][0] == "."):
            title = None
        if title and word == "M" and i + 3 < n and _INITIAL.match(tokens[i + 2][0]):
            title = None  # "M.D. Anderson": initials, not "Monsieur"
        if title and titled:
            j = i + 1
            if j < n and tokens[j][0] == ".":
                j += 1
            while j < n and _capitalized(tokens[j][0]) and key_of(tokens[j][0]) in TITLES:
                j += 1  # "Prof. Dr. Otmar Wiestler"
                if j < n and tokens[j][0] == ".":
                    j += 1
            if key_of(word) == "assoc" or (j < n and key_of(tokens[j][0]) in ("prof", "professor")):
                pass
            name_start = j
            j = _name_run(tokens, j)
            if j > name_start and any(len(t[0]) > 1 for t in tokens[name_start:j]):
                if not any(taken[i:j]):
                    s, e, surface = span(name_start, j)
                    take(start, j, Mention("person", s, e, surface, "rule", title=title))
                i = j
                continue
        if not titled and _capitalized(word) and fold(word) in given and not taken[i]:
            j = _name_run(tokens, i)
            if j - i >= 2 and not any(taken[i:j]):
                words = [key_of(t[0]) for t in tokens[i:j]]
                if not any(w in HEADS or w in NOT_PEOPLE or w in country_names() for w in words):
                    s, e, surface = span(i, j)
                    take(i, j, Mention("person", s, e, surface, "rule"))
                    i = j
                    continue
        i += 1


_INITIAL = re.compile(r"^[A-ZÀ-Ý](?:-[A-ZÀ-Ý])?$")


def _name_run(tokens, j: int) -> int:
    """The end of a person's name starting at token j: capitalized words, initials, particles."""
    n = len(tokens)
    words = 0
    while j < n and words < 4:
        word = tokens[j][0]
        if _INITIAL.match(word) and j + 1 < n and tokens[j + 1][0] == ".":
            j += 2
            words += 1
            continue
        if _capitalized(word) and word[:1].isalpha() and key_of(word) not in HEADS:
            if word.isupper() and len(word) > 3 and words == 0 and j + 1 < n:
                pass  # "GAO Weiqiang": a family name in capitals first
            j += 1
            words += 1
            continue
        if key_of(word) in PARTICLES and j + 1 < n and _capitalized(tokens[j + 1][0]) and words:
            j += 1
            continue
        break
    return j
