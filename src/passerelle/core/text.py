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


def _unseen(character: str) -> bool:
    """Whether a character prints nothing a reader could read: a control or format
    character, a space, a separator."""
    return unicodedata.category(character)[0] in "CZ" or character.isspace()


def validate_name(value: str) -> None:
    """Refuse a name a reader could not read or a list could not show.

    A name with a control character ("\\u0000", a tab, a line break) breaks exports, lists
    and the databases' text (PostgreSQL refuses NUL); a name of only spaces, separators or
    invisible characters names nothing. Used by the name and title fields of every model,
    so that the API, the import, the spreadsheets and the back office refuse it alike.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ValidationError(
            _("This name contains a control character (such as a NUL, a tab or a line break)."),
            code="control_character",
        )
    if all(_unseen(c) for c in value):
        raise ValidationError(
            _("This name has no visible character: only spaces or invisible characters."),
            code="invisible",
        )
