"""Text as every part of Passerelle compares it.

One ``fold`` for search, entity resolution and spreadsheet matching: if search
and resolution folded a name differently ("Œuvre" → "oeuvre" in one, "œuvre"
in the other), a name found by one would be missed by the other.
"""

from __future__ import annotations

import unicodedata

#: Letters that NFKD does not decompose but that readers take for two letters.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    """Lower case, without accents or ligatures: "Œstrogène" → "oestrogene",
    "Straße" → "strasse", "Ærø" → "aero"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
