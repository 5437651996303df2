"""Entity resolution: which known organization does a name (and a city, a country) mean?

Every importer asks this before creating an organization, so that a spreadsheet
saying "Univ. Grenoble Alpes" or "CIRC" lands on the record ROR already gave us.

Names are normalized (accents, case, punctuation, word order, abbreviations,
and the common words of a name in French, Spanish, Italian and German mapped to
one token: Institut, Instituto, Istituto → institute), candidates are blocked
through an inverted index of their rarest tokens rather than compared with
every record, and scored with rapidfuzz. Each candidate says why it was chosen.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from passerelle.core.text import fold

_WORDS = re.compile(r"[^\w]+", re.UNICODE)

#: Abbreviations and names of common words across languages, to one token each.
SYNONYMS = {
    "univ": "university",
    "uni": "university",
    "universite": "university",
    "universidad": "university",
    "universita": "university",
    "universitat": "university",
    "universitaet": "university",
    "universidade": "university",
    "universiteit": "university",
    "inst": "institute",
    "institut": "institute",
    "instituto": "institute",
    "istituto": "institute",
    "institutet": "institute",
    "institutes": "institute",
    "ctr": "center",
    "cntr": "center",
    "cent": "center",
    "centre": "center",
    "centro": "center",
    "zentrum": "center",
    "centrum": "center",
    "ctre": "center",
    "hosp": "hospital",
    "hopital": "hospital",
    "ospedale": "hospital",
    "hospitalier": "hospital",
    "krankenhaus": "hospital",
    "klinikum": "hospital",
    "natl": "national",
    "nat": "national",
    "nacional": "national",
    "nazionale": "national",
    "nationale": "national",
    "int": "international",
    "intl": "international",
    "internacional": "international",
    "internazionale": "international",
    "res": "research",
    "rech": "research",
    "recherche": "research",
    "ricerca": "research",
    "investigacion": "research",
    "forschung": "research",
    "sci": "science",
    "sciences": "science",
    "scientific": "science",
    "ciencias": "science",
    "lab": "laboratory",
    "labs": "laboratory",
    "laboratoire": "laboratory",
    "laboratorio": "laboratory",
    "dept": "department",
    "dep": "department",
    "med": "medical",
    "medicine": "medical",
    "medecine": "medical",
    "medicina": "medical",
    "tech": "technology",
    "technol": "technology",
    "technologie": "technology",
    "cancer": "cancer",
    "cancers": "cancer",
    "cancerologie": "cancer",
    "krebs": "cancer",
    "oncology": "cancer",
    "oncologie": "cancer",
    "cancro": "cancer",
    "fdn": "foundation",
    "fondation": "foundation",
    "fundacion": "foundation",
    "fondazione": "foundation",
    "stiftung": "foundation",
    "assoc": "association",
    "soc": "society",
    "societe": "society",
    "co": "company",
    "corp": "corporation",
    "inc": "incorporated",
    "ltd": "limited",
    "st": "saint",
    "ste": "saint",
    "mt": "mount",
}
STOPWORDS = {
    "of",
    "the",
    "and",
    "for",
    "at",
    "in",
    "on",
    "a",
    "an",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "et",
    "en",
    "y",
    "e",
    "di",
    "del",
    "della",
    "dei",
    "degli",
    "delle",
    "der",
    "die",
    "das",
    "und",
    "fur",
    "von",
    "do",
    "da",
    "dos",
    "van",
    "voor",
    "het",
}


@lru_cache(maxsize=200_000)
def tokens(text: str) -> tuple[str, ...]:
    """The normalized words of a name, in their order."""
    words = _WORDS.sub(" ", fold(text.replace("&", " and ")).replace("_", " ")).split()
    return tuple(SYNONYMS.get(w, w) for w in words if w not in STOPWORDS)


def normalize(text: str) -> str:
    """One string per name, whatever its accents, case, punctuation and word order."""
    return " ".join(sorted(tokens(text)))


@dataclass(frozen=True)
class Entry:
    """An organization as resolution sees it."""

    key: object  # what the caller identifies it by (a primary key, a ROR id…)
    name: str
    names: tuple[tuple[str, str], ...]  # (name, kind): kind is name, label, alias or acronym
    city: str = ""
    country: str = ""
    ror: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass
class Candidate:
    key: object
    name: str
    score: float
    reasons: list[str] = field(default_factory=list)
    ror: str = ""
    city: str = ""
    country: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict:
        return {
            "key": str(self.key),
            "name": self.name,
            "score": round(self.score, 1),
            "reasons": self.reasons,
            "ror": self.ror,
            "city": self.city,
            "country": self.country,
            "identifiers": [{"scheme": s, "value": v} for s, v in self.identifiers],
        }


#: A candidate is a confident match at this score or above, this far ahead of the next one;
#: below, it is shown as uncertain and never applied without a person's say. 90 keeps out
#: "Cancer Research Center of Lyon" for "Centre Léon Bérard" (82: they share "center" and
#: "cancer"-like words only) and lets in exact names, labels, aliases and acronyms (97-100)
#: and a dropped word or a typo in a long name (91-99).
CONFIDENT_SCORE = 90.0
CONFIDENT_MARGIN = 5.0


def confident_match(candidates: list[Candidate]) -> Candidate | None:
    """The first candidate if it is a confident match (see :data:`CONFIDENT_SCORE`)."""
    if not candidates or candidates[0].score < CONFIDENT_SCORE:
        return None
    if len(candidates) > 1 and candidates[0].score - candidates[1].score < CONFIDENT_MARGIN:
        return None
    return candidates[0]


NAME_KIND_REASONS = {
    "name": "exact name",
    "label": "exact name in another language",
    "alias": "exact alias",
    "acronym": "exact acronym",
}
#: Tokens in more entries than this do not open a block on their own ("university").
COMMON_TOKEN = 2000
MAX_CANDIDATES = 400


class Resolver:
    """An index of organizations' names, asked one name at a time."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = []
        self.names: list[str] = []  # normalized, one row per (entry, name)
        self.name_entry: list[int] = []
        self.name_kind: list[str] = []
        self.exact: dict[str, list[int]] = defaultdict(list)  # normalized name -> name rows
        self.acronyms: dict[str, list[int]] = defaultdict(list)
        self.postings: dict[str, list[int]] = defaultdict(list)  # token -> entry indexes
        for entry in entries:
            index = len(self.entries)
            self.entries.append(entry)
            seen_tokens: set[str] = set()
            for name, kind in entry.names:
                normalized = normalize(name)
                if not normalized:
                    continue
                row = len(self.names)
                self.names.append(normalized)
                self.name_entry.append(index)
                self.name_kind.append(kind)
                self.exact[normalized].append(row)
                if kind == "acronym":
                    self.acronyms[fold(name).replace(".", "").replace(" ", "")].append(row)
                    continue
                seen_tokens.update(normalized.split())
            for token in seen_tokens:
                self.postings[token].append(index)
        self.entry_rows: dict[int, list[int]] = defaultdict(list)
        for row, index in enumerate(self.name_entry):
            self.entry_rows[index].append(row)
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) >= 4:
                self.by_prefix[token[:2]].append(token)

    def __len__(self) -> int:
        return len(self.entries)

    # -- candidates

    def _block(self, query_tokens: tuple[str, ...]) -> set[int]:
        known, unknown = [], []
        for token in set(query_tokens):
            (known if token in self.postings else unknown).append(token)
        for token in unknown:  # a typo: the closest tokens that share its first two letters
            if len(token) >= 4:
                for match, _, _ in process.extract(
                    token,
                    self.by_prefix.get(token[:2], []),
                    scorer=fuzz.ratio,
                    score_cutoff=75,
                    limit=2,
                ):
                    known.append(match)
        known.sort(key=lambda t: len(self.postings[t]))
        block: set[int] = set()
        for token in known:
            postings = self.postings[token]
            if block and len(postings) > COMMON_TOKEN:
                break
            if not block or len(block) + len(postings) <= MAX_CANDIDATES:
                block.update(postings[: MAX_CANDIDATES * 4])
            if len(block) >= MAX_CANDIDATES:
                break
        return block

    # -- resolution

    def resolve(
        self,
        name: str,
        *,
        city: str = "",
        country: str = "",
        limit: int = 5,
    ) -> list[Candidate]:
        """Known organizations that ``name`` may mean, best first, with a score out of 100."""
        query = normalize(name)
        if not query:
            return []
        country = country.strip().upper()
        city_norm = normalize(city) if city else ""
        best: dict[int, tuple[float, str]] = {}

        def offer(index: int, score: float, reason: str) -> None:
            if index not in best or score > best[index][0]:
                best[index] = (score, reason)

        acronym_key = fold(name).replace(".", "").replace(" ", "")
        for row in self.acronyms.get(acronym_key, []):
            offer(self.name_entry[row], 97.0, "exact acronym")
        for row in self.exact.get(query, []):
            offer(self.name_entry[row], 100.0, NAME_KIND_REASONS[self.name_kind[row]])
        block = self._block(tuple(query.split()))
        rows = [
            row
            for index in block
            for row in self.entry_rows[index]
            if self.name_kind[row] != "acronym"
        ]
        if rows:
            choices = [self.names[r] for r in rows]
            scores = [0.0] * len(rows)
            for _, score, i in process.extract(
                query, choices, scorer=fuzz.token_sort_ratio, limit=None, score_cutoff=50
            ):
                scores[i] = score
            for _, score, i in process.extract(
                query, choices, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=59
            ):
                scores[i] = max(scores[i], 0.85 * score)
            for row, score in zip(rows, scores, strict=True):
                if score >= 50:
                    offer(self.name_entry[row], min(score, 99.0), "similar name")
        candidates = []
        for index, (score, reason) in best.items():
            entry = self.entries[index]
            reasons = [reason if reason != "similar name" else f"similar name ({score:.0f})"]
            if country and entry.country:
                if entry.country == country:
                    score += 5
                    reasons.append("same country")
                else:
                    score -= 30
                    reasons.append(f"country conflict ({entry.country})")
            if city_norm and entry.city:
                if normalize(entry.city) == city_norm:
                    score += 5
                    reasons.append("same city")
                else:
                    score -= 2  # campuses sit in suburbs: a weak signal
                    reasons.append(f"other city ({entry.city})")
            candidates.append(
                Candidate(
                    key=entry.key,
                    name=entry.name,
                    score=score,
                    reasons=reasons,
                    ror=entry.ror,
                    city=entry.city,
                    country=entry.country,
                    identifiers=entry.identifiers,
                )
            )
        candidates.sort(key=lambda c: (-c.score, c.name))
        for candidate in candidates[:limit]:  # ranked on the total, shown out of 100
            candidate.score = max(0.0, min(candidate.score, 100.0))
        return candidates[:limit]


def resolver_from_database() -> Resolver:
    """A resolver over every organization in the database (a few seconds for 50k)."""
    from passerelle.registry.models import Identifier, Organization, OrganizationName

    other_names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for org_id, value, kind in OrganizationName.objects.values_list(
        "organization_id", "value", "kind"
    ).iterator(chunk_size=20_000):
        other_names[org_id].append((value, kind))
    identifiers: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for org_id, scheme, value in (
        Identifier.objects.filter(organization__isnull=False)
        .values_list("organization_id", "scheme", "value")
        .iterator(chunk_size=20_000)
    ):
        identifiers[org_id].append((scheme, value))
    entries = []
    for pk, uid, name, name_en, name_fr, acronym, city, country in Organization.objects.values_list(
        "pk", "uid", "name", "name_en", "name_fr", "acronym", "place__name_en", "place__country"
    ).iterator(chunk_size=20_000):
        names = [(name, "name")]
        names += [(n, "label") for n in (name_en, name_fr) if n and n != name]
        if acronym:
            names.append((acronym, "acronym"))
        names += other_names.get(pk, [])
        ids = tuple(sorted(identifiers.get(pk, [])))
        ror = next((v for s, v in ids if s == "ror"), "")
        entries.append(
            Entry(
                key=uid,
                name=name_en or name,
                names=tuple(names),
                city=city or "",
                country=country or "",
                ror=ror,
                identifiers=ids,
            )
        )
    return Resolver(entries)
