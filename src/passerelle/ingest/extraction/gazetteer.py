"""What Passerelle already knows, as surface forms to find in a text.

The project's own records and the ROR data imported into the database
(organizations' names, labels per language, aliases and acronyms), its people,
places and topics: a name found here is a match to a record, which a
statistical model can only guess at. Forms are token tuples, folded (accents,
case), looked up longest first at each token of the text.

The gazetteer is built once per process and rebuilt when the records change
(the count and the last update of each kind), so that a text submitted after a
review finds the records that review created.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from passerelle.core.text import fold

from .places import country_names

#: Elisions, hyphenated words, words, then any other sign.
TOKEN = re.compile(r"(?:[dlnmstcj]|qu)['’](?=\w)|\w+(?:[-'’]\w+)*|[^\w\s]", re.IGNORECASE)
#: Upper-case words that are not organizations' acronyms (or too ambiguous to be).
NOT_ACRONYMS = set(
    [
        "USA",
        "UK",
        "EU",
        "US",
        "UN",
        "CEO",
        "CFO",
        "MOU",
        "PHD",
        "MD",
        "DNA",
        "RNA",
        "AI",
        "HIV",
        "HPV",
        "COVID",
        "CNN",
        "API",
        "PDF",
        "TV",
        "OK",
        "II",
        "III",
        "IV",
        "VI",
        "VII",
        "VIII",
        "IX",
        "XI",
        "XII",
        "XIII",
        "XIV",
        "XV",
        "XX",
        "XXI",
        "RD",
        "ID",
        "IT",
        "PR",
        "NB",
        "PS",
        "AM",
        "PM",
        "MSC",
        "BSC",
        "MBA",
        "CV",
        "FAQ",
        "CEST",
        "CET",
        "GMT",
        "UTC",
    ]
)
#: Single words too common to be a name on their own, even capitalized.
COMMON = set(
    [
        "the",
        "cancer",
        "research",
        "health",
        "science",
        "sciences",
        "institute",
        "university",
        "hospital",
        "centre",
        "center",
        "international",
        "national",
        "european",
        "world",
        "clinic",
        "foundation",
        "network",
        "program",
        "programme",
        "project",
        "projet",
        "recherche",
        "sante",
        "institut",
        "universite",
        "hopital",
        "medical",
        "medicine",
        "partners",
        "partner",
        "alliance",
        "group",
        "groupe",
        "region",
        "today",
        "news",
    ]
)
ORG_KIND = {
    "cluster": "cluster",
    "research_institute": "institute",
    "cancer_centre": "hospital",
    "hospital": "hospital",
    "university": "university",
    "company": "company",
    "funder": "funder",
    "agency": "agency",
    "government": "government",
    "network": "network",
    "international": "agency",
    "other": "other",
}


def tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def key_of(token: str) -> str:
    return fold(token).replace("’", "'")


@dataclass
class Known:
    """A record as the gazetteer knows it."""

    type: str  # organization, person, place, topic
    key: str  # the record's stable id
    name: str
    kind: str = ""
    city: str = ""
    country: str = ""
    ror: str = ""
    geonames: int | None = None
    own: bool = True  # a record of the project, not one only imported from ROR
    extra: dict = field(default_factory=dict)

    def as_match(self) -> dict:
        match = {"type": self.type, "id": self.key, "name": self.name}
        for name in ("kind", "city", "country", "ror", "geonames"):
            value = getattr(self, name)
            if value:
                match[name] = value
        return match


class Gazetteer:
    def __init__(self) -> None:
        self.forms: dict[tuple[str, ...], list[Known]] = defaultdict(list)
        self.acronyms: dict[str, list[Known]] = defaultdict(list)  # case kept
        self.max_len = 1
        self.people: list[Known] = []
        self.topics: dict[tuple[str, ...], Known] = {}
        self.topic_len = 1

    def add(self, known: Known, form: str, *, acronym: bool = False) -> None:
        form = form.strip()
        if not form:
            return
        if acronym:
            wanted = len(form) >= 2 and form.upper() not in NOT_ACRONYMS
            if wanted and known not in self.acronyms[form]:
                self.acronyms[form].append(known)
            return
        tokens = tuple(key_of(t) for t, _s, _e in tokenize(form))
        if tokens and tokens[0] in ("the", "le", "la", "les", "l'"):
            tokens = tokens[1:]
        if not tokens or (len(tokens) == 1 and (tokens[0] in COMMON or len(tokens[0]) < 3)):
            return
        if known not in self.forms[tokens]:
            self.forms[tokens].append(known)
        self.max_len = max(self.max_len, len(tokens))

    def find(self, text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, list]]:
        """Spans (first token, last token + 1, the records) of known forms, longest first."""
        keys = [key_of(t) for t, _s, _e in tokens]
        found = []
        i = 0
        while i < len(tokens):
            hit = None
            word = tokens[i][0]
            for length in range(min(self.max_len, len(tokens) - i), 0, -1):
                candidates = self.forms.get(tuple(keys[i : i + length]))
                if not candidates:
                    continue
                first = tokens[i][0]
                if not (first[:1].isupper() or first[:1].isdigit()):
                    continue  # a name begins with a capital in running text
                if length == 1 and not first[:1].isupper():
                    continue
                hit = (i, i + length, candidates)
                break
            if hit is None and word in self.acronyms:
                candidates = self.acronyms[word]
                if len(candidates) == 1 or any(k.own for k in candidates):
                    hit = (i, i + 1, candidates)  # an acronym ambiguous in ROR alone is not taken
            if hit:
                found.append(hit)
                i = hit[1]
            else:
                i += 1
        return found

    def find_topics(self, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, Known]]:
        """Spans of the vocabulary's topics, in any case ("lung cancer", "Nanomedicine")."""
        keys = [key_of(t) for t, _s, _e in tokens]
        found = []
        i = 0
        while i < len(tokens):
            for length in range(min(self.topic_len, len(tokens) - i), 0, -1):
                known = self.topics.get(tuple(keys[i : i + length]))
                if known is not None:
                    found.append((i, i + length, known))
                    i += length - 1
                    break
            i += 1
        return found


_LOCK = threading.Lock()
_CACHE: dict[str, object] = {}


def _signature() -> tuple:
    """What the gazetteer was built from, as the database says now: read before each use, so
    that a change made by another process (another web instance, a task worker) is seen.
    Other names have no time of change: their count and highest id say a name came or went."""
    from django.db.models import Count, Max

    from passerelle.ingest.models import ExternalRecord
    from passerelle.registry.models import Organization, OrganizationName, Person, Place, Topic

    return (
        *(
            tuple(model.objects.aggregate(n=Count("pk"), last=Max("updated")).values())
            for model in (Organization, Person, Place, Topic)
        ),
        tuple(OrganizationName.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
        tuple(ExternalRecord.objects.aggregate(n=Count("pk"), last=Max("imported")).values()),
    )


def gazetteer() -> Gazetteer:
    """The gazetteer of the records now in the database (rebuilt only when they change)."""
    signature = _signature()
    with _LOCK:
        if _CACHE.get("signature") != signature:
            _CACHE["gazetteer"] = build_gazetteer()
            _CACHE["signature"] = signature
        return _CACHE["gazetteer"]  # type: ignore[return-value]


def build_gazetteer() -> Gazetteer:
    from passerelle.ingest.models import ExternalRecord
    from passerelle.registry.models import Organization, OrganizationName, Person, Place, Topic

    g = Gazetteer()
    imported = set(ExternalRecord.objects.values_list("organization_id", flat=True))
    other_names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for org_id, value, kind in OrganizationName.objects.values_list(
        "organization_id", "value", "kind"
    ).iterator(chunk_size=20_000):
        other_names[org_id].append((value, kind))
    rows = Organization.objects.values_list(
        "pk",
        "uid",
        "name",
        "name_en",
        "name_fr",
        "acronym",
        "acronym_fr",
        "kind",
        "place__name_en",
        "place__country",
    )
    for pk, uid, name, name_en, name_fr, acronym, acronym_fr, kind, city, country in rows.iterator(
        chunk_size=20_000
    ):
        known = Known(
            "organization",
            str(uid),
            name_en or name,
            kind=ORG_KIND.get(kind, "other"),
            city=city or "",
            country=country or "",
            own=pk not in imported,
        )
        for form in {name, name_en, name_fr}:
            g.add(known, form or "")
        for form in {acronym, acronym_fr}:
            if form:
                g.add(known, form, acronym=True)
        for value, name_kind in other_names.get(pk, []):
            g.add(known, value, acronym=name_kind == "acronym")
    for uid, given, family, title in Person.objects.values_list(
        "uid", "given_name", "family_name", "title"
    ).iterator(chunk_size=20_000):
        known = Known("person", str(uid), f"{given} {family}".strip(), kind=title or "")
        known.extra = {"given": given, "family": family}
        g.people.append(known)
    for uid, name_en, name_fr, country, geonames in Place.objects.values_list(
        "uid", "name_en", "name_fr", "country", "geonames_id"
    ).iterator(chunk_size=20_000):
        if not (name_en or name_fr):
            continue
        if fold(name_en or name_fr) in country_names():
            continue  # a country is found by its name, below
        known = Known("place", str(uid), name_en or name_fr, country=country, geonames=geonames)
        for form in {name_en, name_fr}:
            g.add(known, form or "")
    for uid, slug, name_en, name_fr in Topic.objects.values_list(
        "uid", "slug", "name_en", "name_fr"
    ):
        known = Known("topic", str(uid), name_en, kind=slug)
        for form in {name_en, name_fr}:
            if not form:
                continue
            tokens = tuple(key_of(t) for t, _s, _e in tokenize(form))
            if tokens:
                for variant in {tokens, (*tokens[:-1], tokens[-1] + "s")}:
                    g.topics.setdefault(variant, known)
                g.topic_len = max(g.topic_len, len(tokens))
    return g
