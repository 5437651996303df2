"""The sentences of the International relations page, in the reader's language.

Each entry is one or two sentences composed from the records with the grammar of
``core.grammar`` (articles, contractions, agreement, lists, dates): "This
collaborative project on biomarkers and lung cancer is coordinated by Pr. C.
Brambilla in Grenoble", "Ce projet collaboratif … est coordonné par le Pr C.
Brambilla à Grenoble". A :class:`Voice` writes one page: an organization is
introduced in full the first time it is named (name, acronym, short description,
city abroad) and by its short name after; nothing the title, the summary or an
earlier clause says is said again, and what is unknown is left out.

Every text given to the grammar is escaped markup (names are links), so the
sentences are safe HTML.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import Category, Kind, Role
from passerelle.core import grammar as g
from passerelle.core.grammar import NounPhrase
from passerelle.core.visibility import is_public

from .dependencies import read_name, read_record
from .references import url_of

#: The cluster's own country: a partner elsewhere is placed in its city and country.
HOME_COUNTRY = "FR"
#: Roles whose organizations abroad are placed when first named (the Weizmann Institute
#: in Rehovot, Israel): where the partner is is part of the fact.
PLACED_ROLES = {Role.PARTY, Role.PARTNER, Role.HOST, Role.VISITOR, Role.MEMBER}
#: The roles told as a passive of the activity: "is coordinated by …, supported by …".
PASSIVE_ROLES = [
    (Role.COORDINATOR, "coordinated"),
    (Role.ORGANIZER, "organized"),
    (Role.CO_ORGANIZER, "jointly organized"),
    (Role.SUPPORTER, "supported"),
    (Role.FUNDER, "funded"),
]
EXCHANGED = {
    "researcher": gettext_lazy("researchers"),
    "physician": gettext_lazy("physicians"),
    "master_student": gettext_lazy("Master's students"),
    "phd_student": gettext_lazy("PhD students"),
    "resident": gettext_lazy("residents"),
}
SIGNED = {"signed", "active", "expired", "terminated", "renewed"}
CATEGORY_LABELS = dict(Category.choices)
KIND_LABELS = dict(Kind.choices)


def language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", str(text)).casefold()


def _link(record, text: str) -> str:
    return format_html('<a href="{}">{}</a>', url_of(record), text)


def _strict(record, field: str, lang: str) -> str:
    """A text in this language only: an English summary has no place in a French page."""
    return (getattr(record, f"{field}_{lang}", "") or "").strip()


def _sentence(text: str) -> str:
    text = text.strip()
    return g.capitalized(text if text.endswith((".", "!", "?", "…")) else f"{text}.")


class Voice:
    """Writes the entries of one page, remembering who has been introduced."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = lang or language()
        self.introduced: set[tuple[str, int]] = set()
        # a page names the same few records and kinds hundreds of times: infer once each
        self._phrases: dict[tuple, NounPhrase] = {}

    # -- names

    def organization(self, organization, role: str = "") -> NounPhrase:
        read_record(organization)  # a sentence tells its description, kind, city
        first = ("organization", organization.pk) not in self.introduced
        self.introduced.add(("organization", organization.pk))
        name, acronym = organization.display_name, organization.shown_acronym
        if not first:
            return self._phrase(organization, _link(organization, acronym or name))
        asides = [escape(acronym)] if acronym and acronym not in name else []
        description = organization.description
        if description:
            asides.append(escape(description))
        text = _link(organization, name) + (f" ({', '.join(asides)})" if asides else "")
        place = organization.place
        if (
            not description
            and role in PLACED_ROLES
            and is_public(place)
            and place.name
            and place.country != HOME_COUNTRY
            and place.name not in name
        ):
            text += self.located(place)
        return self._phrase(organization, text)

    def _phrase(self, record, text: str) -> NounPhrase:
        key = (type(record).__name__, record.pk, text)
        if key not in self._phrases:
            self._phrases[key] = record.noun_phrase(text, self.lang)
        return self._phrases[key]

    def located(self, place) -> str:
        """ " in Rehovot, Israel" / " de Rehovot (Israël)"."""
        city = place.noun_phrase(escape(place.name), self.lang)
        country = g.country(place.country.code, self.lang).text
        if self.lang == "fr":
            return f" {g.de(city)} ({escape(country)})"
        return f" in {city.text}, {escape(country)}"

    def person(self, participation: Participation) -> NounPhrase:
        person = participation.person
        read_record(person)
        text = _link(person, person.display_name)
        place = participation.place or person.place
        if is_public(place) and place.name:
            text += " " + g.in_place(place.noun_phrase(escape(place.name), self.lang), self.lang)
        # le Pr C. Brambilla, but Patrick Boisseau
        return NounPhrase(text, article=bool(person.title))

    def actor(self, participation: Participation) -> NounPhrase:
        if participation.person_id:
            return self.person(participation)
        return self.organization(participation.organization, participation.role)

    def topic(self, topic) -> NounPhrase:
        read_name(topic)
        name = topic.name_fr if self.lang == "fr" and topic.name_fr else topic.name_en
        shown = _link(topic, g.lower_first(name))
        return g.with_text(g.infer(topic.name_fr or name, kind="topic"), shown)

    def noun(self, activity: Activity) -> NounPhrase:
        """What the activity is, as a common noun: "collaborative project", "séminaire"."""
        key = ("noun", activity.category, activity.kind)
        if key not in self._phrases:
            label = str(
                CATEGORY_LABELS.get(activity.category) or KIND_LABELS.get(activity.kind, "")
            )
            self._phrases[key] = g.infer(label.replace("'", "’"), kind="topic")
        return self._phrases[key]

    def title(self, activity: Activity, *, lowered: bool = True) -> NounPhrase:
        """An activity's title as a name in a sentence: the 7th CLARA Scientific Days."""
        text = _strict(activity, "title", self.lang) or activity.title_en
        first = text.split(" ")[0]
        if lowered and first[1:] == first[1:].lower():
            text = g.lower_first(text)
        np = g.infer(activity.title_fr or text, kind="topic")
        plural = np.plural if self.lang == "fr" else text.rstrip().endswith("s")
        return NounPhrase(
            escape(text),
            gender=np.gender,
            number=g.PLURAL if plural else g.SINGULAR,
            elides=g.elides(text),
            article_en=True,
        )

    # -- pieces

    def names(self, nps: list[NounPhrase]) -> str:
        return g.join([g.definite(np, self.lang) for np in nps], self.lang)

    def subject(self, nps: list[NounPhrase]) -> str:
        """Names as the subject of a verb: English closes an aside that ends the list (…, the
        Weizmann Institute in Rehovot, Israel, signed)."""
        text = self.names(nps)
        if self.lang != "fr" and nps and "," in re.sub(r"\([^)]*\)", "", plain(nps[-1].text)):
            text += ","
        return text

    @staticmethod
    def plural(nps: list[NounPhrase]) -> bool:
        """Whether a verb agrees in the plural: two actors, or one plural name (les HCL)."""
        return len(nps) > 1 or any(np.plural for np in nps)

    def about(self, topics: list[NounPhrase]) -> str:
        if not topics:
            return ""
        word = "sur" if self.lang == "fr" else "on"
        return f" {word} {self.names(topics)}"

    def where(
        self, places: list[tuple[NounPhrase, str]], alternating: bool, followed: bool = False
    ) -> str:
        """ " in Lyon", " in Tokyo, Japan" (a city abroad with its country, as an
        organization abroad is introduced), ", alternately in Shanghai and Lyon". ``places``
        are (city, country code); ``followed``: more of the sentence comes after."""
        if not places:
            return ""
        named = [  # the cities an event alternates between are named alone
            (city, code if code and code != HOME_COUNTRY and not alternating else "")
            for city, code in places
        ]
        if self.lang == "fr":
            listed = g.join(
                [
                    g.in_place(city, "fr") + (f" ({g.country(code, 'fr').text})" if code else "")
                    for city, code in named
                ],
                "fr",
            )
            return f", en alternance {listed}" if alternating else f" {listed}"
        if alternating:
            return f", alternately in {g.join([city.text for city, _code in named], 'en')}"
        listed = g.join(
            [
                city.text + (f", {g.country(code, 'en').text}" if code else "")
                for city, code in named
            ],
            "en",
        )
        abroad = any(code for _city, code in named)
        return f" in {listed}" + ("," if abroad and followed else "")

    # -- the entry

    def entry(
        self,
        activity: Activity,
        children: list[Activity],
        parent: Activity | None = None,
        left_out: frozenset[tuple[str, int]] = frozenset(),
    ) -> SafeString:
        """The text of one activity: one or two sentences, then its own summary.

        ``left_out``: (activity id, role, organization id) a section's lede already says.
        """
        lang = self.lang
        summary = _strict(activity, "summary", lang)
        purpose = _strict(activity, "purpose", lang) if activity.kind == Kind.DELEGATION else ""
        said = " ".join(
            plain(t) for t in (summary, purpose, _strict(activity, "title", lang) or "")
        )
        roles: dict[str, list[Participation]] = defaultdict(list)
        for participation in activity.participations.all():
            if (activity.pk, participation.role, participation.organization_id) in left_out:
                continue
            roles[participation.role].append(participation)
        if activity.kind == Kind.DELEGATION:
            sentences = [self.delegation(activity, roles, purpose)]
            summary = ""
        elif activity.kind == Kind.AGREEMENT:
            sentences = [self.agreement(activity, roles)]
        elif activity.kind == Kind.EXCHANGE:
            sentences = [self.exchange(activity, roles)]
        elif activity.category == "event_series":
            sentences = [self.series(activity, roles, children, said)]
        else:
            sentences = [self.general(activity, roles, parent, said)]
        if summary:
            sentences.append(summary)
        sentences.append(self.exchanges(activity, children))
        text = " ".join(_sentence(s) for s in sentences if s and s.strip())
        return mark_safe(text)

    def _topics(self, activity: Activity, said: str) -> list[NounPhrase]:
        topics = [t for t in activity.topics.all() if is_public(t)]
        nps = [self.topic(t) for t in topics]
        # nor what the activity's own noun says: no "cooperation program on … cooperation"
        noun = _words(plain(self.noun(activity).text))
        return [np for np in nps if plain(np.text) not in said and not _words(np.text) & noun]

    def _places(self, activity: Activity, said: str) -> list[tuple[NounPhrase, str]]:
        """The activity's public places not already said, each with its country's code."""
        places = [p for p in activity.places.all() if is_public(p) and (p.name or p.region)]
        nps = [
            (p.noun_phrase(escape(p.name or p.region), self.lang), p.country.code) for p in places
        ]
        return [
            (np, code) for np, code in nps if activity.alternating or plain(np.text) not in said
        ]

    def _tense(self, activity: Activity) -> str:
        if activity.kind == Kind.EVENT or activity.end:
            return g.PAST
        return g.SINCE if activity.start else g.NOW

    def _when(self, activity: Activity, tense: str) -> str:
        if not activity.start:
            return ""
        if tense == g.SINCE:
            return " " + g.since(activity.start, self.lang)
        if activity.end:
            return " " + g.between_years(activity.start, activity.end, self.lang)
        return " " + g.on_date(activity.start, self.lang)

    def general(self, activity, roles, parent, said: str) -> str:
        """Programs, projects, networks, memberships and single events."""
        lang = self.lang
        noun = self.noun(activity)
        tense = self._tense(activity)
        topics = self._topics(activity, said)
        passives = []
        for role, verb in PASSIVE_ROLES:
            if roles.get(role):
                actors = [self.actor(p) for p in roles[role]]
                passives.append(f"{g.passive(verb, noun, lang)} {g.by_all(actors, lang)}")
        partners = [self.actor(p) for p in roles.get(Role.PARTNER, [])]
        members = [self.actor(p) for p in roles.get(Role.MEMBER, [])]
        participants = [self.actor(p) for p in roles.get(Role.PARTICIPANT, [])]
        during = ""
        if parent is not None and parent.kind == Kind.EVENT and parent.edition:
            word = "pendant" if lang == "fr" else "during"
            during = f" {word} {g.definite(self.title(parent, lowered=False), lang)}"
        if passives:
            text = (
                f"{g.demonstrative(noun, lang)}{self.about(topics)} "
                f"{g.auxiliary(tense, noun.plural, lang)} {g.join(passives, lang)}{during}"
            )
            if partners:
                text += ", " + g.with_(partners, lang)
            if members or participants:
                joined = members + participants
                text += (
                    f", avec la participation {g.of_all(joined)}"
                    if lang == "fr"
                    else f", with the participation of {self.names(joined)}"
                )
        elif members and activity.kind == Kind.MEMBERSHIP:
            plural = self.plural(members)
            be = g.auxiliary(tense, plural, lang)
            if lang == "fr":
                role = "membres" if plural else "membre"
            else:
                role = "members" if plural else "a member"
            text = f"{self.subject(members)} {be} {role}"
            hosts = [self.actor(p) for p in roles.get(Role.HOST, [])]
            if hosts:  # the network the membership is of: "a member of the WSN"
                text += f" {g.of_all(hosts)}" if lang == "fr" else f" of {self.names(hosts)}"
        elif participants or members:
            actors = participants or members
            plural = self.plural(actors)
            verb = g.conjugate("take part in", tense, plural, lang)
            text = (
                f"{self.subject(actors)} {verb} {g.demonstrative(noun, lang)}{self.about(topics)}"
            )
        elif partners:
            plural = self.plural(partners)
            if lang == "fr":
                are = g.auxiliary(tense, plural, lang)
                role = "partenaires" if plural else "partenaire"
                text = f"{self.subject(partners)} {are} {role} de {g.demonstrative(noun, lang)}"
            else:
                are = g.auxiliary(tense, plural, lang)
                role = "partners in" if plural else "a partner in"
                text = f"{self.subject(partners)} {are} {role} {g.demonstrative(noun, lang)}"
            text += self.about(topics)
        elif topics:
            verb = g.conjugate("deal with", g.PAST if tense == g.PAST else g.NOW, noun.plural, lang)
            text = f"{g.demonstrative(noun, lang)} {verb} {self.names(topics)}"
        else:
            return ""
        said += " " + plain(text)
        when = self._when(activity, tense)
        return (
            text + self.where(self._places(activity, said), activity.alternating, bool(when)) + when
        )

    def series(self, activity, roles, children, said: str) -> str:
        """Three Franco-Chinese seminars have been held, alternately in Shanghai and Lyon."""
        lang = self.lang
        editions = sorted(
            (c for c in children if c.kind == Kind.EVENT and c.edition), key=lambda c: c.edition
        )
        numbers = [c.edition for c in editions]
        organizers = [
            self.actor(p)
            for role in (Role.ORGANIZER, Role.CO_ORGANIZER)
            for p in roles.get(role, [])
        ]
        title = self.title(activity)
        places = self.where(self._places(activity, said), activity.alternating)
        if numbers and numbers == list(range(1, len(numbers) + 1)):
            years = [c.start[:4] for c in editions]
            subject = NounPhrase(
                title.text, gender=title.gender, number=g.PLURAL if len(numbers) > 1 else g.SINGULAR
            )
            held = g.passive("held", subject, lang)
            text = (
                f"{g.count(len(numbers), lang, title.gender)} {title.text} "
                f"{g.auxiliary(g.PERFECT, len(numbers) > 1, lang)} {held}"
            )
            if organizers:
                text += " " + g.by_all(organizers, lang)
            text += places
            if all(years):
                text += f" ({', '.join(years)})"
            return text
        if not organizers:
            return ""
        title = self.title(activity, lowered=False)
        return (
            f"{g.definite(title, lang)} {g.auxiliary(g.NOW, title.plural, lang)} "
            f"{g.passive('organized', title, lang)} {g.by_all(organizers, lang)}{places}"
        )

    def agreement(self, activity, roles) -> str:
        """The Region, the Weizmann Institute in Rehovot, Israel, and CLARA signed this …"""
        lang = self.lang
        parties = [self.actor(p) for p in roles.get(Role.PARTY, [])]
        noun = self.noun(activity)
        signed = bool(activity.signed_on) or activity.status in SIGNED
        verb = g.conjugate("sign", g.PAST if signed else g.NOW, self.plural(parties), lang)
        text = f"{self.subject(parties)} {verb} {g.demonstrative(noun, lang)}" if parties else ""
        if activity.signed_on and parties:
            text += " " + g.on_date(activity.signed_on, lang)
        areas = [
            escape(c.text_fr if lang == "fr" else c.text_en)
            for c in activity.commitments.all()
            if (c.text_fr if lang == "fr" else c.text_en)
        ]
        if areas and text:
            separator = g.punctuation(";", lang) + " "
            listed = (
                separator.join(areas)
                if lang == "fr" or len(areas) < 2
                else separator.join(areas[:-1]) + f"{separator}and {areas[-1]}"
            )
            counted = ngettext(
                "in {count} key area: {areas}", "in {count} key areas: {areas}", len(areas)
            ).format(count=g.count(len(areas), lang), areas=listed)
            text += ", " + counted.replace(" :", g.punctuation(":", lang))
        return text

    def delegation(self, activity, roles, purpose: str) -> str:
        """CLARA hosted a delegation from Senegal, which came to study …"""
        lang = self.lang
        code = activity.delegation_country.code if activity.delegation_country else ""
        incoming = activity.direction == "incoming"
        aim = ""
        if purpose:
            lowered = g.lower_first(purpose).rstrip(".")
            infinitive = (
                lowered.split(" ")[0].endswith(("er", "ir", "re", "oir"))
                if lang == "fr"
                else lowered.startswith("to ")
            )
            if infinitive:
                aim = escape(lowered)
        hosts = [self.actor(p) for p in roles.get(Role.HOST, [])]
        visitors = [self.actor(p) for p in roles.get(Role.VISITOR, [])]
        delegation = g.NounPhrase("délégation", gender=g.FEMININE)
        country = g.country_from(code, lang) if code else ""
        if incoming and hosts:
            came = f"{g.agrees(delegation, 'venu')} " if lang == "fr" else ""
            template = (
                _("{hosts} hosted a delegation{origin}, which came {aim}")
                if aim
                else _("{hosts} hosted a delegation{origin}")
            )
            text = template.format(
                hosts=self.names(hosts), origin=f" {came}{country}" if code else "", aim=aim
            )
        elif incoming:
            if not code:
                return escape(purpose)
            template = (
                _("A delegation came {origin} {aim}") if aim else _("A delegation came {origin}")
            )
            text = template.format(origin=country, aim=aim)
        else:
            destination = ""
            if code:
                place = g.country(code, lang)
                destination = (
                    g.country_in(code, lang) if lang == "fr" else f"to {g.definite(place, lang)}"
                )
            if visitors:
                template = (
                    ngettext(
                        "{visitors} sent a delegation {destination} {aim}",
                        "{visitors} sent a delegation {destination} {aim}",
                        2 if self.plural(visitors) else 1,
                    )
                    if aim
                    else ngettext(
                        "{visitors} sent a delegation {destination}",
                        "{visitors} sent a delegation {destination}",
                        2 if self.plural(visitors) else 1,
                    )
                )
            elif code:
                template = (
                    _("A delegation went {destination} {aim}")
                    if aim
                    else _("A delegation went {destination}")
                )
            else:
                return escape(purpose)
            text = template.format(visitors=self.names(visitors), destination=destination, aim=aim)
        text = re.sub(r"\s+([,.])", r"\1", re.sub(r" {2,}", " ", text)).strip()
        if purpose and not aim:
            text = f"{_sentence(text)} {escape(purpose)}"
        return text

    def exchange(self, activity, roles) -> str:
        """The CRCL sent three PhD students to the Shanghai Cancer Institute in 2014."""
        lang = self.lang
        who = str(EXCHANGED.get(activity.exchange_category, "")) or str(_("people"))
        count = (
            g.count(activity.headcount, lang)
            if activity.headcount
            else ("des" if lang == "fr" else "")
        )
        sending = [self.actor(p) for p in roles.get(Role.SENDING, [])]
        receiving = [self.actor(p) for p in roles.get(Role.RECEIVING, [])]
        when = self._when(activity, g.PAST)
        if sending and receiving:
            target = (
                g.join([g.a(np) for np in receiving], lang)
                if lang == "fr"
                else "to " + self.names(receiving)
            )
            verb = (
                ("ont envoyé" if self.plural(sending) else "a envoyé") if lang == "fr" else "sent"
            )
            return f"{self.names(sending)} {verb} {count} {who} {target}{when}".replace("  ", " ")
        if lang == "fr":  # "cet échange", as the English says "this exchange", whatever its kind
            exchange = g.NounPhrase("échange", gender=g.MASCULINE, elides=True)
            return f"{count} {who} ont pris part à {g.demonstrative(exchange, lang)}{when}"
        return f"{(count + ' ') if count else ''}{who} took part in this exchange{when}"

    def exchanges(self, activity: Activity, children: list[Activity]) -> str:
        """Exchanges of a program, told in one sentence of the program: It includes exchanges
        of PhD students, physicians, Master's students and residents."""
        lang = self.lang
        categories = [
            c.exchange_category
            for c in children
            if c.kind == Kind.EXCHANGE and c.exchange_category in EXCHANGED
        ]
        if not categories or activity.kind == Kind.EXCHANGE:
            return ""
        names = [str(EXCHANGED[c]) for c in dict.fromkeys(categories)]
        noun = self.noun(activity)
        if lang == "fr":
            listed = g.of_all([g.infer(n, kind="city") for n in names])
            what = f"des échanges {listed}"
        else:
            what = f"exchanges of {g.join(names, lang)}"
        verb = g.conjugate("include", g.NOW, noun.plural, lang)
        return f"{g.pronoun(noun, lang)} {verb} {what}"

    # -- a section's own sentence

    def shared_support(self, activities: list[Activity]) -> tuple[str, frozenset]:
        """ "Two flagship programs are supported by the European Commission (EC)." when every
        activity of one category in a section has the same supporter or funder: said once,
        for the section, and left out of each entry."""
        lang = self.lang
        by_category: dict[str, list[Activity]] = defaultdict(list)
        for activity in activities:
            if activity.category:
                by_category[activity.category].append(activity)
        sentences, left_out = [], set()
        for group in by_category.values():
            if len(group) < 2:
                continue
            for role, verb in ((Role.SUPPORTER, "supported"), (Role.FUNDER, "funded")):
                common = None
                for activity in group:
                    found = {
                        p.organization_id: p
                        for p in activity.participations.all()
                        if p.role == role and p.organization_id
                    }
                    common = set(found) if common is None else common & set(found)
                if not common:
                    continue
                backers = [
                    p
                    for p in group[0].participations.all()
                    if p.role == role and p.organization_id in common
                ]
                noun = self.noun(group[0])
                plural = NounPhrase(g.plural(noun.text, lang), gender=noun.gender, number=g.PLURAL)
                nps = [self.organization(p.organization, role) for p in backers]
                sentences.append(
                    f"{g.count(len(group), lang, noun.gender)} {plural.text} "
                    f"{g.auxiliary(g.NOW, True, lang)} {g.passive(verb, plural, lang)} "
                    f"{g.by_all(nps, lang)}"
                )
                left_out |= {(a.pk, role, pk) for pk in common for a in group}
        return mark_safe(" ".join(_sentence(s) for s in sentences)), frozenset(left_out)


def _words(text: str) -> set[str]:
    """The telling words of a phrase (six letters or more), to see two phrases repeat one."""
    return {word for word in re.findall(r"\w+", text.casefold()) if len(word) >= 6}
