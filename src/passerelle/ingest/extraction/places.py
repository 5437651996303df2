"""Countries, their demonyms and compounds, in English and French.

The country names come from django-countries in both languages (so "Allemagne"
and "Germany" are one code). Demonyms are listed here for the countries a
cluster's releases name: the adjective in English and its four French forms
("sénégalais, sénégalaise, sénégalais, sénégalaises"), and the combining forms of
compounds ("franco-chinois" is France and China, "Sino-French" too).
"""

from __future__ import annotations

from functools import cache

from passerelle.core.text import fold

#: code: English demonym, French masculine singular (its feminine and plurals follow).
DEMONYMS = {
    "FR": ("French", "français"),
    "DE": ("German", "allemand"),
    "IT": ("Italian", "italien"),
    "ES": ("Spanish", "espagnol"),
    "PT": ("Portuguese", "portugais"),
    "GB": ("British", "britannique"),
    "IE": ("Irish", "irlandais"),
    "BE": ("Belgian", "belge"),
    "NL": ("Dutch", "néerlandais"),
    "CH": ("Swiss", "suisse"),
    "AT": ("Austrian", "autrichien"),
    "SE": ("Swedish", "suédois"),
    "NO": ("Norwegian", "norvégien"),
    "DK": ("Danish", "danois"),
    "FI": ("Finnish", "finlandais"),
    "PL": ("Polish", "polonais"),
    "CZ": ("Czech", "tchèque"),
    "HU": ("Hungarian", "hongrois"),
    "RO": ("Romanian", "roumain"),
    "GR": ("Greek", "grec"),
    "RU": ("Russian", "russe"),
    "UA": ("Ukrainian", "ukrainien"),
    "TR": ("Turkish", "turc"),
    "IL": ("Israeli", "israélien"),
    "LB": ("Lebanese", "libanais"),
    "EG": ("Egyptian", "égyptien"),
    "MA": ("Moroccan", "marocain"),
    "DZ": ("Algerian", "algérien"),
    "TN": ("Tunisian", "tunisien"),
    "SN": ("Senegalese", "sénégalais"),
    "CI": ("Ivorian", "ivoirien"),
    "CM": ("Cameroonian", "camerounais"),
    "ML": ("Malian", "malien"),
    "BF": ("Burkinabe", "burkinabè"),
    "NG": ("Nigerian", "nigérian"),
    "ZA": ("South African", "sud-africain"),
    "KE": ("Kenyan", "kényan"),
    "ET": ("Ethiopian", "éthiopien"),
    "CN": ("Chinese", "chinois"),
    "JP": ("Japanese", "japonais"),
    "KR": ("Korean", "coréen"),
    "IN": ("Indian", "indien"),
    "VN": ("Vietnamese", "vietnamien"),
    "TH": ("Thai", "thaïlandais"),
    "SG": ("Singaporean", "singapourien"),
    "AU": ("Australian", "australien"),
    "NZ": ("New Zealand", "néo-zélandais"),
    "US": ("American", "américain"),
    "CA": ("Canadian", "canadien"),
    "MX": ("Mexican", "mexicain"),
    "BR": ("Brazilian", "brésilien"),
    "AR": ("Argentinian", "argentin"),
    "CL": ("Chilean", "chilien"),
    "CO": ("Colombian", "colombien"),
    "IR": ("Iranian", "iranien"),
    "SA": ("Saudi", "saoudien"),
    "AE": ("Emirati", "émirien"),
    "QA": ("Qatari", "qatari"),
    "LU": ("Luxembourgish", "luxembourgeois"),
    "EE": ("Estonian", "estonien"),
    "LT": ("Lithuanian", "lituanien"),
    "LV": ("Latvian", "letton"),
    "HR": ("Croatian", "croate"),
    "RS": ("Serbian", "serbe"),
    "BG": ("Bulgarian", "bulgare"),
    "CU": ("Cuban", "cubain"),
    "HT": ("Haitian", "haïtien"),
    "PE": ("Peruvian", "péruvien"),
}
#: First halves of compounds: "franco-", "sino-", "germano-"…
COMBINING = {
    "franco": "FR",
    "sino": "CN",
    "germano": "DE",
    "italo": "IT",
    "hispano": "ES",
    "luso": "PT",
    "anglo": "GB",
    "nippo": "JP",
    "russo": "RU",
    "indo": "IN",
    "israelo": "IL",
    "belgo": "BE",
    "helvetico": "CH",
    "americano": "US",
    "canado": "CA",
    "senegalo": "SN",
    "tuniso": "TN",
    "algero": "DZ",
    "maroco": "MA",
    "libano": "LB",
    "greco": "GR",
    "polono": "PL",
    "roumano": "RO",
    "quebeco": "CA",
    "euro": "",
}
_EXTRA_NAMES = {
    "usa": "US",
    "united states": "US",
    "etats unis": "US",
    "uk": "GB",
    "united kingdom": "GB",
    "royaume uni": "GB",
    "england": "GB",
    "angleterre": "GB",
    "scotland": "GB",
    "ecosse": "GB",
    "russia": "RU",
    "russie": "RU",
    "south korea": "KR",
    "coree du sud": "KR",
    "coree": "KR",
    "korea": "KR",
    "vietnam": "VN",
    "viet nam": "VN",
    "iran": "IR",
    "taiwan": "TW",
    "czech republic": "CZ",
    "republique tcheque": "CZ",
    "the netherlands": "NL",
    "holland": "NL",
    "catalonia": "ES",
    "catalogne": "ES",
    "quebec": "CA",
    "bavaria": "DE",
    "baviere": "DE",
    "lombardy": "IT",
    "lombardie": "IT",
    "ontario": "CA",
    "california": "US",
    "californie": "US",
    "wallonia": "BE",
    "wallonie": "BE",
    "flanders": "BE",
    "flandre": "BE",
    "tuscany": "IT",
    "toscane": "IT",
}


def _french_forms(masculine: str) -> list[str]:
    if masculine.endswith("e"):
        return [masculine, masculine + "s"]
    if masculine.endswith("en"):  # israélien, israélienne
        return [masculine, masculine + "ne", masculine + "s", masculine + "nes"]
    if masculine.endswith("s"):  # sénégalais, sénégalaise
        return [masculine, masculine + "e", masculine + "es"]
    if masculine.endswith("c"):  # grec, grecque, turc, turque
        stem = masculine[:-1] + ("cque" if masculine == "grec" else "que")
        return [masculine, masculine + "s", stem, stem + "s"]
    return [masculine, masculine + "e", masculine + "s", masculine + "es"]


@cache
def country_names() -> dict[str, str]:
    """Folded country name (English or French) → ISO code."""
    from django.utils import translation
    from django_countries import countries

    names: dict[str, str] = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for code, name in countries:
                names[_key(str(name))] = code
                short = str(name).split(",")[0].split("(")[0]
                names.setdefault(_key(short), code)
    names.update(_EXTRA_NAMES)
    return names


@cache
def demonyms() -> dict[str, str]:
    """Folded demonym (English or French, any gender and number) → ISO code."""
    forms: dict[str, str] = {}
    for code, (english, french) in DEMONYMS.items():
        forms[_key(english)] = code
        for form in _french_forms(french):
            forms[_key(form)] = code
    return forms


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").replace("'", " ").split())


def countries_of_word(word: str) -> list[str]:
    """The countries a word names as a demonym or a compound: "franco-chinois" → FR, CN."""
    key = fold(word).replace("’", "'")
    if "-" in key:
        head, _, tail = key.rpartition("-")
        codes = []
        for part in head.split("-"):
            code = COMBINING.get(part)
            if code is None:
                return (
                    [demonyms()[key.replace("-", " ")]]
                    if key.replace("-", " ") in demonyms()
                    else []
                )
            if code:
                codes.append(code)
        tail_code = demonyms().get(tail)
        if tail_code is None:
            return []
        return [*codes, tail_code]
    code = demonyms().get(key)
    return [code] if code else []
