"""A small grammar of English and French, for sentences composed from records.

Pure functions over small descriptors, so that the portal writes "coordonné par
le CIRC", "au Sénégal", "des séminaires … organisés" without gluing strings in
templates. A name carries what the grammar needs (:class:`NounPhrase`): gender,
number, whether it elides and whether it takes an article in French, whether it
takes "the" in English. :func:`infer` guesses those from the name; records may
override the guess (``registry.models``).

Texts given to these functions are returned inside the words the grammar adds
and never changed otherwise: a caller may pass escaped markup (a link) as text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace

MASCULINE, FEMININE = "m", "f"
SINGULAR, PLURAL = "s", "p"
ENGLISH, FRENCH = "en", "fr"


@dataclass(frozen=True)
class NounPhrase:
    """A name and what a sentence needs to know of it.

    ``article``: in French, whether the name takes the definite article (le CIRC,
    l'Institut Weizmann, but Lyon, BioNanoMed); ``article_en``: whether it takes
    "the" in English (the Weizmann Institute, but BioNanoMed). ``elides``: le/de
    become l'/d' before it.
    """

    text: str
    gender: str = MASCULINE
    number: str = SINGULAR
    elides: bool = False
    article: bool = True
    article_en: bool = False

    @property
    def plural(self) -> bool:
        return self.number == PLURAL


# -- inferring what a French name needs

_VOWELS = set("aeiouyhâàäéèêëîïôöûùüœæ")
#: Words beginning with an aspirated h: no elision (le Havre, la Hongrie, le Honduras).
_ASPIRATED = ("hongr", "hondur", "havre", "haut", "hambourg", "hanovre", "hollande", "haïti")
#: Endings of masculine nouns among the -e words (le lymphome, le programme, le cancéropôle).
_MASCULINE_ENDINGS = ("ome", "isme", "age", "ège", "ment", "phone", "scope", "gramme", "ôle",
                      "oire", "aire")  # fmt: skip
#: Endings of feminine nouns that the masculine endings above would take (la clinique…).
_FEMININE_WORDS = {
    "clinique",
    "république",
    "politique",
    "fédération",
    "commission",
    "université",
    "école",
    "agence",
    "alliance",
    "fondation",
    "société",
    "région",
    "académie",
    "association",
    "organisation",
    "ligue",
    "chambre",
    "conférence",
    "pharmacie",
    "biologie",
    "oncologie",
    "infectiologie",
    "médecine",
    "nanomédecine",
    "cellule",
    "cellules",
    "délégation",
    "plateforme",
    "unité",
    "maison",
    "direction",
    "communauté",
}
#: Heads of names that are masculine although they end in -e (le Centre, le Cancéropôle).
_MASCULINE_WORDS = {
    "centre",
    "cancéropôle",
    "institut",
    "office",
    "groupe",
    "réseau",
    "programme",
    "ministère",
    "consortium",
    "observatoire",
    "lymphome",
    "sarcome",
    "mélanome",
    "cancer",
    "cancers",
    "hôpital",
    "laboratoire",
    "service",
    "conseil",
    "collège",
    "pôle",
    "musée",
    "lycée",
    "cluster",
    "protocole",
    "symposium",
    "système",
    "diagnostic",
}
#: Names of cities and organizations written without an article in French.
_NO_ARTICLE_KINDS = {"city", "person"}


def _first_word(text: str) -> str:
    """The head of a name: its first word that is not a number (7es Journées → journées)."""
    for word in re.split(r"[\s\-'’(]", _plain(text).strip()):
        if word and not word[0].isdigit():
            return word.lower()
    return ""


def _plain(text: str) -> str:
    """The text of a name without markup: inference reads words, not tags."""
    return re.sub(r"<[^>]+>", "", text)


def elides(text: str) -> bool:
    """Whether le/de become l'/d' before this word: a vowel or a mute h."""
    word = _plain(text).strip().lower()
    if not word:
        return False
    if word.startswith(_ASPIRATED):
        return False
    return word[0] in _VOWELS


def gender_of(text: str) -> str:
    """The gender of a French name from its first word (its head, in French)."""
    word = _first_word(text)
    if word in _FEMININE_WORDS:
        return FEMININE
    if word in _MASCULINE_WORDS:
        return MASCULINE
    singular = word[:-1] if word.endswith(("s", "x")) and len(word) > 3 else word
    if singular.endswith(("ie", "ée", "ion", "té", "ure", "ance", "ence", "ine", "ule", "ité")):
        return FEMININE
    if singular.endswith(_MASCULINE_ENDINGS):
        return MASCULINE
    return FEMININE if singular.endswith("e") else MASCULINE


def number_of(text: str) -> str:
    """Plural when the head word is (Biomarqueurs, Cellules souches…, Journées…)."""
    word = _first_word(text)
    return PLURAL if len(word) > 3 and word.endswith(("s", "x")) and word[-2] != "u" else SINGULAR


_ENGLISH_COMMON = {
    "Institute",
    "Center",
    "Centre",
    "Agency",
    "Commission",
    "Region",
    "cluster",
    "Cluster",
    "Network",
    "Observatory",
    "Council",
    "Foundation",
    "Organization",
    "Organisation",
    "Society",
    "Association",
    "Hospital",
    "Hospitals",
    "Hospices",
    "Laboratory",
    "Ministry",
    "Office",
    "Union",
    "League",
    "Consortium",
    "Community",
    "region",
    "Republic",
    "Kingdom",
    "States",
    "Islands",
    "Emirates",
    "Netherlands",
    "Philippines",
}


def _english_article(text: str) -> bool:
    words = _plain(text).split()
    if not words:
        return False
    if words[-1] in ("University", "College", "School", "Inc.", "Ltd", "GmbH", "SA"):
        return words[0] == "University"
    return any(word.strip(",()") in _ENGLISH_COMMON for word in words)


@functools.lru_cache(maxsize=8192, typed=True)
def infer(text: str, *, kind: str = "") -> NounPhrase:
    """What a name most likely needs: "Institut …" masculine, "Université …" feminine,
    a vowel elides, a city (``kind="city"``) or an acronym-like word takes no article.

    Kept for the names seen last (a page names the same partners hundreds of times, and
    the inference reads the name's words through regular expressions); a NounPhrase is
    frozen, so a kept one cannot be changed by a caller; ``typed``: markup (a SafeString)
    and plain text of the same letters are kept apart, each given back as it came."""
    plain = _plain(text).strip()
    single = len(plain.split()) == 1
    acronym_like = single and plain[:2].isupper()
    article = kind == "topic" or (kind not in _NO_ARTICLE_KINDS and not single)
    if acronym_like:
        article = True  # le CIRC, l'INCa, le DKFZ
    return NounPhrase(
        text=text,
        gender=gender_of(text),
        number=SINGULAR if acronym_like else number_of(text),
        elides=elides(text),
        article=article,
        article_en=kind not in _NO_ARTICLE_KINDS and _english_article(text),
    )


# -- French articles and contractions


def definite(np: NounPhrase, lang: str = FRENCH) -> str:
    """le CIRC, la Région, l'Institut Weizmann, les Pays-Bas, Lyon; the Weizmann Institute."""
    if lang != FRENCH:
        return f"the {np.text}" if np.article_en else np.text
    if not np.article:
        return np.text
    if np.plural:
        return f"les {np.text}"
    if np.elides:
        return f"l’{np.text}"
    return f"{'la' if np.gender == FEMININE else 'le'} {np.text}"


def de(np: NounPhrase) -> str:
    """du CIRC, de la Région, de l'Institut, des Pays-Bas, de Lyon, d'Oslo."""
    if not np.article:
        return f"d’{np.text}" if np.elides else f"de {np.text}"
    if np.plural:
        return f"des {np.text}"
    if np.elides:
        return f"de l’{np.text}"
    return f"de la {np.text}" if np.gender == FEMININE else f"du {np.text}"


def a(np: NounPhrase) -> str:
    """au CIRC, à la Région, à l'Institut, aux Pays-Bas, à Lyon."""
    if not np.article:
        return f"à {np.text}"
    if np.plural:
        return f"aux {np.text}"
    if np.elides:
        return f"à l’{np.text}"
    return f"à la {np.text}" if np.gender == FEMININE else f"au {np.text}"


def by(np: NounPhrase, lang: str) -> str:
    """par le CIRC / by the CLARA cancer cluster."""
    return f"par {definite(np)}" if lang == FRENCH else f"by {definite(np, lang)}"


def with_(nps: list[NounPhrase], lang: str) -> str:
    return ("avec " if lang == FRENCH else "with ") + join([definite(np, lang) for np in nps], lang)


def by_all(nps: list[NounPhrase], lang: str) -> str:
    """par le CIRC et le DKFZ / by IARC and DKFZ: the preposition once."""
    return ("par " if lang == FRENCH else "by ") + join([definite(np, lang) for np in nps], lang)


def of_all(nps: list[NounPhrase]) -> str:
    """du CIRC et de la Région: French repeats "de" before each."""
    return join([de(np) for np in nps], FRENCH)


def in_place(np: NounPhrase, lang: str) -> str:
    """à Lyon, en Catalogne (a feminine region), au Havre; in Lyon."""
    if lang != FRENCH:
        return f"in {definite(np, lang)}"
    if np.article and not np.plural and (np.gender == FEMININE or np.elides):
        return f"en {np.text}"
    return a(np)


# -- lists


def join(items: list[str], lang: str, conjunction: str = "") -> str:
    """ "A", "A and B", "A, B and C"; French "A, B et C".

    English adds the serial comma only where an item holds a comma itself (the
    Weizmann Institute in Rehovot, Israel, and CLARA); French never does.
    """
    items = [item for item in items if item]
    word = conjunction or ("et" if lang == FRENCH else "and")
    if len(items) < 2:
        return items[0] if items else ""
    head = ", ".join(items[:-1])
    serial = lang != FRENCH and len(items) > 2 and any("," in _outside_asides(i) for i in items)
    return f"{head}{',' if serial else ''} {word} {items[-1]}"


def _outside_asides(text: str) -> str:
    """The text without what is in parentheses: a comma there separates nothing."""
    return re.sub(r"\([^)]*\)", "", _plain(text))


# -- agreement

_NUMBERS = {
    ENGLISH: [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
    ],
    FRENCH: ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"],
}


def count(n: int, lang: str, gender: str = MASCULINE) -> str:
    """A count in words up to ten, as prose writes it (three seminars, une délégation)."""
    if 0 <= n < len(_NUMBERS[lang]):
        word = _NUMBERS[lang][n]
        return "une" if lang == FRENCH and n == 1 and gender == FEMININE else word
    return str(n)


def participle(stem: str, gender: str = MASCULINE, number: str = SINGULAR) -> str:
    """A French past participle agreed with its subject: accueilli → accueillie, organisé →
    organisés."""
    ending = ("e" if gender == FEMININE else "") + ("s" if number == PLURAL else "")
    if stem.endswith("s") and ending in ("s", ""):
        return stem  # compris, mis
    return stem + ending


def agrees(np: NounPhrase, stem: str) -> str:
    """The participle that agrees with this noun phrase."""
    return participle(stem, np.gender, np.number)


def demonstrative(np: NounPhrase, lang: str) -> str:
    """this seminar, these seminars; ce séminaire, cet observatoire, cette délégation, ces
    journées."""
    if lang != FRENCH:
        return f"{'these' if np.plural else 'this'} {np.text}"
    if np.plural:
        return f"ces {np.text}"
    if np.gender == FEMININE:
        return f"cette {np.text}"
    return f"{'cet' if np.elides else 'ce'} {np.text}"


#: Tenses: now (is), since (has been … since 2011), past (was), perfect (have been held).
NOW, SINCE, PAST, PERFECT = "now", "since", "past", "perfect"

#: Verbs of composed sentences, conjugated: (singular, plural) per tense and language.
#: French says "est … depuis 2011" where English says "has been … since 2011".
VERBS: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    "be": {
        ENGLISH: {
            NOW: ("is", "are"),
            SINCE: ("has been", "have been"),
            PAST: ("was", "were"),
            PERFECT: ("has been", "have been"),
        },
        FRENCH: {
            NOW: ("est", "sont"),
            SINCE: ("est", "sont"),
            PAST: ("a été", "ont été"),
            PERFECT: ("a été", "ont été"),
        },
    },
    "take part in": {
        ENGLISH: {
            NOW: ("takes part in", "take part in"),
            SINCE: ("has taken part in", "have taken part in"),
            PAST: ("took part in", "took part in"),
        },
        FRENCH: {
            NOW: ("participe à", "participent à"),
            SINCE: ("participe à", "participent à"),
            PAST: ("a participé à", "ont participé à"),
        },
    },
    "deal with": {
        ENGLISH: {NOW: ("deals with", "deal with"), PAST: ("dealt with", "dealt with")},
        FRENCH: {NOW: ("porte sur", "portent sur"), PAST: ("a porté sur", "ont porté sur")},
    },
    "sign": {
        ENGLISH: {PAST: ("signed", "signed"), NOW: ("is preparing", "are preparing")},
        FRENCH: {PAST: ("a signé", "ont signé"), NOW: ("prépare", "préparent")},
    },
    "include": {
        ENGLISH: {NOW: ("includes", "include"), PAST: ("included", "included")},
        FRENCH: {NOW: ("comprend", "comprennent"), PAST: ("a compris", "ont compris")},
    },
}


def conjugate(verb: str, tense: str, plural: bool, lang: str) -> str:
    """The verb in that tense; a tense the verb lacks reads in the present."""
    forms = VERBS[verb][FRENCH if lang == FRENCH else ENGLISH]
    return forms.get(tense, forms[NOW])[1 if plural else 0]


def auxiliary(tense: str, plural: bool, lang: str) -> str:
    """is, are, has been, have been, was, were; est, sont, a été, ont été."""
    return conjugate("be", tense, plural, lang)


def pronoun(np: NounPhrase, lang: str) -> str:
    """it, they; il, elle, ils, elles: what stands for the noun in the next sentence."""
    if lang != FRENCH:
        return "they" if np.plural else "it"
    word = "elle" if np.gender == FEMININE else "il"
    return word + ("s" if np.plural else "")


#: The participles composed sentences use, English and French (French agrees them).
PARTICIPLES = {
    "coordinated": "coordonné",
    "supported": "soutenu",
    "funded": "financé",
    "organized": "organisé",
    "jointly organized": "organisé conjointement",
    "hosted": "accueilli",
    "held": "organisé",
    "signed": "signé",
}


def passive(verb: str, subject: NounPhrase, lang: str) -> str:
    """ "coordinated" in English; in French agreed with the subject: coordonnée, organisés."""
    if lang != FRENCH:
        return verb
    word, _space, rest = PARTICIPLES[verb].partition(" ")
    agreed = agrees(subject, word)
    return f"{agreed} {rest}" if rest else agreed


_FRENCH_LINKS = {"de", "d’", "d'", "du", "des", "à", "au", "aux", "en", "sur", "pour", "et"}


def plural(text: str, lang: str) -> str:
    """flagship program → flagship programs; programme phare → programmes phares, accord de
    partenariat → accords de partenariat (French: the words before the first preposition)."""
    if lang != FRENCH:
        words = text.split(" ")
        words[-1] = _english_plural(words[-1])
        return " ".join(words)
    words, out, linked = text.split(" "), [], False
    for word in words:
        linked = linked or word in _FRENCH_LINKS or word.startswith(("d’", "d'"))
        out.append(word if linked else _french_plural(word))
    return " ".join(out)


def _english_plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word if word.endswith("days") else word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _french_plural(word: str) -> str:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("eau", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def punctuation(mark: str, lang: str) -> str:
    """ ";" or " ;": French puts a space before ; : ! ? (as the catalogue does; a no-break
    one here, so that a line never starts with the mark), always the same on a page."""
    if lang == FRENCH and mark in ";:!?":
        return "\u00a0" + mark
    return mark


def capitalized(text: str) -> str:
    """The first letter a reader sees in capitals, never a letter inside markup."""
    depth = 0
    for index, char in enumerate(text):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        elif depth == 0 and not char.isspace():
            return text[:index] + char.upper() + text[index + 1 :]
    return text


def lower_first(text: str) -> str:
    """ "Lung cancer" → "lung cancer" mid-sentence, but "MeSH" and "DKFZ" stay."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


# -- dates


def _date_parts(value: str) -> tuple[int, int, int]:
    parts = [int(p) for p in value.split("-")]
    year, month, day = [*parts, 0, 0][:3]
    return year, month, day


_MONTHS = {
    ENGLISH: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    FRENCH: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}


def date_text(value: str, lang: str) -> str:
    """2015-02-27 → 27 February 2015 / 27 février 2015 (1er mars); 2013-05 → May 2013."""
    year, month, day = _date_parts(value)
    if not month:
        return str(year)
    name = _MONTHS[lang][month - 1]
    if not day:
        return f"{name} {year}"
    if lang == FRENCH:
        return f"{'1er' if day == 1 else day} {name} {year}"
    return f"{day} {name} {year}"


def on_date(value: str, lang: str) -> str:
    """in 2013, in May 2013, on 27 February 2015; en 2013, en mai 2013, le 27 février 2015."""
    day = _date_parts(value)[2]
    text = date_text(value, lang)
    if lang == FRENCH:
        return f"le {text}" if day else f"en {text}"
    return f"on {text}" if day else f"in {text}"


def since(value: str, lang: str) -> str:
    """since 2011, since May 2011; depuis 2011, depuis mai 2011, depuis le 3 mai 2011."""
    day = _date_parts(value)[2]
    text = date_text(value, lang)
    if lang == FRENCH:
        return f"depuis le {text}" if day else f"depuis {text}"
    return f"since {text}"


def between_years(start: str, end: str, lang: str) -> str:
    """from 2011 to 2013; de 2011 à 2013 (years only: a period reads in years)."""
    first, last = start[:4], end[:4]
    if first == last:
        return on_date(first, lang)
    return f"de {first} à {last}" if lang == FRENCH else f"from {first} to {last}"


# -- countries


#: French names of countries where django-countries' name does not read in a sentence.
_FRENCH_NAMES = {
    "US": "États-Unis",
    "SZ": "Eswatini",
    "FM": "Micronésie",
    "PS": "Palestine",
    "MK": "Macédoine du Nord",
    "RE": "La Réunion",
    "SB": "Îles Salomon",
    "TT": "Trinité-et-Tobago",
    "BQ": "Bonaire, Saint-Eustache et Saba",
    "SH": "Sainte-Hélène",
    "MF": "Saint-Martin",
    "SX": "Saint-Martin",
    "MH": "Îles Marshall",
    "BZ": "Belize",
    "TL": "Timor oriental",
    "VA": "Vatican",
    "WF": "Wallis-et-Futuna",
}
#: Plural countries: aux États-Unis, des Pays-Bas.
_FRENCH_PLURAL = {"US", "NL", "PH", "KM", "MV", "SC", "BS", "AE", "FJ", "WS", "PW", "TF", "BM"}
#: Islands and city-states that take "à" and no article: à Cuba, à Malte, à Singapour.
_FRENCH_NO_ARTICLE = {
    "CU", "MG", "MT", "CY", "SG", "MC", "BH", "HT", "HK", "MO", "TW", "MU", "DJ", "OM",
    "AW", "CW", "GU", "JE", "GG", "GI", "MS", "NR", "NU", "TK", "TO", "TV", "KI", "LC",
    "SM", "BL", "MF", "SX", "KN", "VC", "ST", "TT", "AG", "YT", "WF", "AI", "PR", "BQ",
    "SH", "PM", "IL", "RE", "VU",
}  # fmt: skip
#: Of those, the ones that take "en" all the same, and "d'" (en Israël).
_FRENCH_EN_WITHOUT_ARTICLE = {"IL"}
#: Feminine or masculine against what the name's ending says.
_FRENCH_MASCULINE = {"GB", "KH", "MX", "MZ", "ZW", "BZ", "SR", "CV", "VA"}
_FRENCH_FEMININE = {"SL", "DM", "GD", "BB", "JM", "RE"}
#: Whose English name takes "the": the United States, the Netherlands, the Gambia.
_ENGLISH_THE = {"GM", "VA", "BS", "CD", "CG", "KM", "MV", "SC", "PH", "NL", "AE", "GB", "US"}
_ENGLISH_NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "BS": "Bahamas",
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
    "VN": "Vietnam",
    "LA": "Laos",
    "MD": "Moldova",
    "TW": "Taiwan",
    "FK": "Falkland Islands",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
    "CC": "Cocos Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VA": "Holy See",
    "CD": "Democratic Republic of the Congo",
}


@functools.lru_cache(maxsize=512)
def _country_names(code: str) -> tuple[str, str]:
    """A country's English and French names (each read under its language, so kept)."""
    from django.utils import translation
    from django_countries import countries

    with translation.override("en"):
        english = _ENGLISH_NAMES.get(code) or str(countries.name(code))
    with translation.override("fr"):
        french = _FRENCH_NAMES.get(code) or str(countries.name(code))
    return english, french


def country(code: str, lang: str) -> NounPhrase:
    """The name of a country as a noun phrase: la France, le Sénégal, les États-Unis, Israël,
    Cuba; the United States, France."""
    code = code.upper()
    english, french = _country_names(code)
    if lang != FRENCH:
        plural_name = english.split()[-1] in ("Islands", "Emirates", "Territories")
        return NounPhrase(
            english, article_en=code in _ENGLISH_THE or plural_name or "Republic" in english
        )
    head = _first_word(french)
    plural = code in _FRENCH_PLURAL or head in ("îles", "terres", "émirats")
    if code in _FRENCH_MASCULINE:
        gender = MASCULINE
    elif code in _FRENCH_FEMININE or head in ("île", "îles", "terres", "république"):
        gender = FEMININE
    elif plural:
        gender = FEMININE if head.endswith("es") and head != "états" else MASCULINE
    else:
        first = head[:-1] if plural else head
        gender = FEMININE if first.endswith("e") and not first.endswith("ège") else MASCULINE
    if head in ("sierra", "guinée", "corée", "afrique", "arabie", "nouvelle", "papouasie"):
        gender = FEMININE
    return NounPhrase(
        french,
        gender=gender,
        number=PLURAL if plural else SINGULAR,
        elides=elides(french),
        article=code not in _FRENCH_NO_ARTICLE,
    )


def country_in(code: str, lang: str) -> str:
    """en France, en Israël, au Sénégal, aux États-Unis, à Cuba; in France, in the Netherlands."""
    np = country(code, lang)
    if lang != FRENCH:
        return f"in {definite(np, lang)}"
    if code.upper() in _FRENCH_EN_WITHOUT_ARTICLE:
        return f"en {np.text}"
    if not np.article:
        return f"à {np.text}"
    if np.plural:
        return f"aux {np.text}"
    if np.gender == FEMININE or np.elides:
        return f"en {np.text}"
    return f"au {np.text}"


def country_from(code: str, lang: str) -> str:
    """de France, d'Israël, du Sénégal, des États-Unis, de Cuba; from the United States."""
    np = country(code, lang)
    if lang != FRENCH:
        return f"from {definite(np, lang)}"
    if not np.article or (not np.plural and np.gender == FEMININE) or (np.elides and not np.plural):
        return f"d’{np.text}" if np.elides else f"de {np.text}"
    return de(np)


def with_text(np: NounPhrase, text: str) -> NounPhrase:
    """The same grammar for another wording of the name (a link around it)."""
    return replace(np, text=text)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
