"""Persistent identifiers: their schemes, their normal forms, their checksums.

Identifiers are how Passerelle meets the outside world (ROR for organizations,
ORCID for people), so a mistyped one must be refused at the door rather than
silently break a later match. Each scheme has one normal form, the one stored:
the bare ROR id (``01cmnjq37``), the bare ORCID (``0000-0002-1825-0097``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    ROR = "ror", "ROR"
    ORCID = "orcid", "ORCID"
    WIKIDATA = "wikidata", "Wikidata"
    ISNI = "isni", "ISNI"
    FUNDREF = "fundref", "Crossref Funder ID"
    GRID = "grid", "GRID"
    WEBSITE = "website", _("website")


#: Which actors may carry which schemes.
ORGANIZATION_SCHEMES = {
    Scheme.ROR,
    Scheme.WIKIDATA,
    Scheme.ISNI,
    Scheme.FUNDREF,
    Scheme.GRID,
    Scheme.WEBSITE,
}
PERSON_SCHEMES = {Scheme.ORCID, Scheme.WIKIDATA, Scheme.ISNI, Scheme.WEBSITE}

# ROR ids: a leading 0, six characters of Crockford base32 (no i, l, o, u), two checksum digits.
_ROR = re.compile(r"^(?:https?://ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})$")
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_ISNI = re.compile(r"^(?:https?://isni\.org/isni/)?(\d{15}[\dX])$")
_WIKIDATA = re.compile(r"^(?:https?://www\.wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$")
_FUNDREF = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/)?(?:10\.13039/)?(\d{4,12})$")
_GRID = re.compile(r"^(grid\.\d+\.[0-9a-f]{1,4})$")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def iso7064_mod11_2(digits: str) -> str:
    """The check character of ISO 7064 MOD 11-2, shared by ORCID and ISNI."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


#: Crockford's digits as the ones ``int(text, 32)`` reads, so that the value is computed in C.
_CROCKFORD_AS_BASE32 = str.maketrans(_CROCKFORD, "0123456789abcdefghijklmnopqrstuv")


def ror_checksum(body: str) -> str:
    """ROR's two-digit checksum: 98 - (base32 value × 100 mod 97)."""
    if body.strip(_CROCKFORD):
        raise ValueError(f"“{body}” is not Crockford base32")
    value = int(body.translate(_CROCKFORD_AS_BASE32), 32) if body else 0
    return f"{98 - (value * 100) % 97:02d}"


def _normalize_ror(raw: str) -> str:
    match = _ROR.match(raw.lower())
    if not match:
        raise ValueError(f"“{raw}” is not a ROR id: expected 9 characters such as 01cmnjq37")
    ror = match[1]
    if ror_checksum(ror[:7]) != ror[7:]:
        raise ValueError(f"“{raw}” is not a ROR id: its checksum does not match")
    return ror


def _normalize_orcid(raw: str) -> str:
    match = _ORCID.match(
        raw.upper().replace("HTTPS://ORCID.ORG/", "").replace("HTTP://ORCID.ORG/", "")
    )
    if not match:
        raise ValueError(
            f"“{raw}” is not an ORCID: expected 16 characters such as 0000-0002-1825-0097"
        )
    digits = "".join(match.groups())
    if iso7064_mod11_2(digits[:-1]) != digits[-1]:
        raise ValueError(
            f"“{raw}” is not an ORCID: its check digit should be {iso7064_mod11_2(digits[:-1])}"
        )
    return "-".join(match.groups())


def _normalize_isni(raw: str) -> str:
    match = _ISNI.match(raw.upper().replace(" ", ""))
    if not match:
        raise ValueError(f"“{raw}” is not an ISNI: expected 16 characters")
    digits = match[1]
    if iso7064_mod11_2(digits[:-1]) != digits[-1]:
        raise ValueError(f"“{raw}” is not an ISNI: its check digit does not match")
    return digits


def _normalize_pattern(pattern: re.Pattern[str], label: str, example: str) -> Callable[[str], str]:
    def normalize(raw: str) -> str:
        match = pattern.match(raw.strip())
        if not match:
            raise ValueError(f"“{raw}” is not a {label} id: expected a form such as {example}")
        return match[1]

    return normalize


#: One validator for every address: building one compiles its patterns again (a ROR import
#: checks 50k addresses).
_WEBSITE = URLValidator(schemes=["http", "https"])


def _normalize_website(raw: str) -> str:
    try:
        _WEBSITE(raw)
    except ValidationError:
        raise ValueError(f"“{raw}” is not a web address (http:// or https://)") from None
    return raw


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    Scheme.ROR: _normalize_ror,
    Scheme.ORCID: _normalize_orcid,
    Scheme.ISNI: _normalize_isni,
    Scheme.WIKIDATA: _normalize_pattern(_WIKIDATA, "Wikidata", "Q42"),
    Scheme.FUNDREF: _normalize_pattern(_FUNDREF, "Crossref Funder", "501100001665"),
    Scheme.GRID: _normalize_pattern(_GRID, "GRID", "grid.7849.2"),
    Scheme.WEBSITE: _normalize_website,
}


def normalize_identifier(scheme: str, raw: str) -> str:
    """Return the stored form of an identifier, or raise ValueError saying what is wrong."""
    if scheme not in _NORMALIZERS:
        raise ValueError(
            f"“{scheme}” is not an identifier scheme; known: {', '.join(_NORMALIZERS)}"
        )
    return _NORMALIZERS[scheme](raw.strip())


_URL_TEMPLATES = {
    Scheme.ROR: "https://ror.org/{}",
    Scheme.ORCID: "https://orcid.org/{}",
    Scheme.ISNI: "https://isni.org/isni/{}",
    Scheme.WIKIDATA: "https://www.wikidata.org/wiki/{}",
    Scheme.FUNDREF: "https://doi.org/10.13039/{}",
    Scheme.WEBSITE: "{}",
}


def identifier_url(scheme: str, value: str) -> str:
    """The resolvable address of an identifier, or "" for schemes with none (GRID)."""
    template = _URL_TEMPLATES.get(scheme)
    return template.format(value) if template else ""
