"""Dates in French and English prose, resolved against the text's publication date.

"18 septembre dernier" in a release published on 2 October 2023 is 2023-09-18;
"next March" in one of November 2023 is 2024-03. Without a publication date, a
date without its year stays unresolved rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from passerelle.core.text import fold

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_RELATIVE = r"(?P<rel>dernier|derniere|prochain|prochaine|last|next)"
_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH})\.?,?\s+{_YEAR}\b"),
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b(?P<day>[0-3]?\d)/(?P<mnum>[01]?\d)/{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH})\s+{_RELATIVE}\b"),
    re.compile(rf"\b{_RELATIVE}\s+(?P<month>{_MONTH})\b"),
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_RELATIVE}\b"),
    re.compile(rf"\b(?:le|on|the)\s+{_DAY}\s+(?P<month>{_MONTH})\b(?!\s+(?:19|20)\d\d)"),
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_YEAR}\b"),
    re.compile(rf"(?<![\d/-]){_YEAR}(?![\d/-])"),
]
_NOT_MONTH = {"may", "mars", "mar", "dec", "sep", "jan", "mai"}  # also ordinary words


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD; "" when it could not be resolved


def find_dates(text: str, published: str = "") -> list[DateMention]:
    """Every date in ``text``, longest first where two overlap."""
    folded = fold(text)  # same length as text for Latin script? not always: map back below
    if len(folded) != len(text):
        folded = "".join(fold(c)[:1] or c for c in text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            groups = match.groupdict()
            month_word = groups.get("month")
            anchored = groups.get("year") or groups.get("day") or groups.get("rel")
            if month_word in _NOT_MONTH and not anchored:
                continue
            if month_word and text[start : start + 1].islower() and month_word == "may":
                continue  # "may" the verb
            value = _value(groups, published)
            if value is None:
                continue
            taken.append((start, end))
            found.append(DateMention(start, end, text[start:end], value))
    found.sort(key=lambda d: d.start)
    return found


def _value(groups: dict, published: str) -> str | None:
    year = groups.get("year")
    month = MONTHS.get(groups.get("month") or "") or (
        int(groups["mnum"]) if groups.get("mnum") else None
    )
    day = int(groups["day"]) if groups.get("day") else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None:
        if len(published) < 4 or month is None:
            return ""
        ref_year = int(published[:4])
        ref_month = int(published[5:7]) if len(published) >= 7 else None
        year_value = ref_year
        relative = groups.get("rel") or ""
        if ref_month is not None:
            if relative in ("dernier", "derniere", "last") and month > ref_month:
                year_value -= 1
            elif relative in ("prochain", "prochaine", "next") and month < ref_month:
                year_value += 1
        year = str(year_value)
    if month is None:
        return year
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def parse_date(text: str) -> str | None:
    """One date written alone ("12 March 2024", "2024-03-12"), or None."""
    found = find_dates(text)
    return found[0].value if found and found[0].value else None
