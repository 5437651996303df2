"""Which language a text is in, French or English, from its commonest words.

Passerelle reads French and English only, and a press release has hundreds of
words: counting the function words of each language (articles, prepositions,
pronouns, auxiliaries: the words every sentence has and no name changes) decides
it without a model, offline and in microseconds. A statistical identifier
(langid, fastText) would be needed for many languages or for short strings; here
it would be a dependency and a model file for a two-way choice.
"""

from __future__ import annotations

import re

from passerelle.core.text import fold

LANGUAGES = ("fr", "en")

_FUNCTION_WORDS = {
    "fr": set(
        [
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "du",
            "de",
            "et",
            "est",
            "sont",
            "dans",
            "pour",
            "par",
            "sur",
            "avec",
            "au",
            "aux",
            "ce",
            "cette",
            "ces",
            "qui",
            "que",
            "dont",
            "il",
            "elle",
            "ils",
            "elles",
            "nous",
            "vous",
            "leur",
            "leurs",
            "son",
            "sa",
            "ses",
            "ont",
            "été",
            "a",
            "été",
            "entre",
            "mais",
            "ou",
            "où",
            "pas",
            "plus",
            "lors",
            "depuis",
            "afin",
            "ainsi",
            "également",
            "notamment",
            "été",
            "étaient",
        ]
    ),
    "en": set(
        [
            "the",
            "a",
            "an",
            "and",
            "is",
            "are",
            "was",
            "were",
            "of",
            "in",
            "for",
            "by",
            "on",
            "with",
            "to",
            "this",
            "that",
            "these",
            "those",
            "which",
            "who",
            "it",
            "its",
            "they",
            "their",
            "has",
            "have",
            "had",
            "been",
            "between",
            "but",
            "or",
            "not",
            "more",
            "during",
            "since",
            "also",
            "from",
            "at",
            "as",
            "be",
            "will",
            "would",
        ]
    ),
}
_SHARED = _FUNCTION_WORDS["fr"] & _FUNCTION_WORDS["en"]
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str | None:
    """``"fr"`` or ``"en"``, or None when the text has too few telling words to say."""
    counts = dict.fromkeys(LANGUAGES, 0)
    words = _WORD.findall(text[:20_000])
    for word in words:
        word = word.lower()
        for language in LANGUAGES:
            if word in _FUNCTION_WORDS[language] and word not in _SHARED:
                counts[language] += 1
    # accents are French's tell in short texts
    counts["fr"] += sum(1 for w in words if fold(w) != w.lower()) // 3
    best = max(LANGUAGES, key=lambda language: counts[language])
    other = min(LANGUAGES, key=lambda language: counts[language])
    if counts[best] < 2 or counts[best] < 1.5 * counts[other]:
        return None
    return best
