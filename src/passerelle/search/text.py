"""Words as search compares them, the same in the index and in the query, on every database.

Text is folded (case, accents, ligatures), cut into words, stripped of the
commonest words of English and French, and each word of a running text is
reduced to its stem in *both* languages: records are bilingual and a query's
language is often unknown, so "cancers", "cancéreux" and "cancer" meet.
Names (of organizations, people, places) are kept whole, unstemmed: a
family name is not a plural. Doing this in Python rather than with each
database's own dictionaries is what lets SQLite and PostgreSQL return the same
results: both then only match tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from passerelle.core.text import fold

WORD = re.compile(r"[^\W_]+", re.UNICODE)

_STOP_WORDS = (
    # English
    "a an and are as at be been but by for from has have in into is it its of on or that the "
    "their them these this those to was were which with within without who whom whose will "
    "we our you your they he she his her not no than then there where when how what also "
    "about between over under via per more most other such can may "
    # French (folded: accents removed)
    "au aux avec ce ces cet cette dans de des du elle en est et il ils la le les leur leurs "
    "lui mais me meme ne nos notre nous on ou par pas pour qu que qui sa se ses son sont sur "
    "ta te tes ton un une vos votre vous a l d s n c j m t y entre sous vers chez"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())

_STEMMERS = {
    language: Stemmer.Stemmer(name) for language, name in (("en", "english"), ("fr", "french"))
}


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included (names need them: "Institut du …")."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The English and the French stem of one folded word (one when they agree)."""
    english = _STEMMERS["en"].stemWord(word)
    french = fold(_STEMMERS["fr"].stemWord(word))
    return (english,) if english == french else (english, french)


def name_tokens(*names: str) -> list[str]:
    """Tokens of names: whole folded words, stop words dropped, and each acronym as one word
    with its dots removed ("I.A.R.C." → "iarc")."""
    tokens = []
    for name in names:
        if not name:
            continue
        tokens += [w for w in words(name.replace(".", "")) if w not in STOP_WORDS]
    return tokens


def text_tokens(*texts: str) -> list[str]:
    """Tokens of running text: every stem of every word that is not a stop word."""
    tokens = []
    for text in texts:
        if not text:
            continue
        for word in words(text):
            if word not in STOP_WORDS:
                tokens += stems(word)
    return tokens


def query_words(query: str, limit: int = 12) -> list[str]:
    """The words of what someone typed, at most ``limit`` of them: no syntax survives, so
    quotes, stars, NEAR, dashes or SQL reach the database only as plain words."""
    found = [w for w in words(query.replace(".", "")) if w not in STOP_WORDS]
    if not found:  # a query made only of stop words ("the", "de la") still means something
        found = words(query)
    return list(dict.fromkeys(w[:60] for w in found))[:limit]
