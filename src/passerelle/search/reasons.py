"""Matchmaking's reasons, in plain words and the active language.

Each suggestion says why it fits: the topics it works on (by name), what the
words matched, closeness in meaning, how the region already knows it, and for
networks and programs what they add (``networks``): the region's membership, a
program's coordinator and the region's part in it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import Model
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from passerelle.activities.models import Activity
from passerelle.activities.vocabulary import Kind, Role
from passerelle.core.models import localized
from passerelle.core.users import AnyUser
from passerelle.registry.models import Organization, Topic

from . import networks
from .models import SearchEntry, entry_type

if TYPE_CHECKING:
    from .matching import Suggestion


def topic_names(slugs: set[str]) -> dict[str, str]:
    """The names of these topics in the active language, by slug."""
    language = (get_language() or "en")[:2]
    return {
        topic.slug: localized(topic, "name", language) or topic.slug
        for topic in Topic.objects.filter(slug__in=slugs)
    }


def _reasons(suggestion: Suggestion, names: dict[str, str]) -> list[str]:
    """Why a suggestion fits, in plain words: topics by name, what the words matched."""
    reasons = []
    if suggestion.shared_topics:
        topics = ", ".join(names.get(slug, slug) for slug in suggestion.shared_topics)
        reasons.append(_("works on %(topics)s") % {"topics": topics})
    if suggestion.signals.get("lexical", 0) > 0 and suggestion.own_words:
        reasons.append(_("its own record uses words of the theme"))
    if suggestion.signals.get("lexical", 0) > 0 and suggestion.worded_activities:
        count = suggestion.worded_activities
        reasons.append(
            ngettext(
                "took part in %(count)d activity whose record uses words of the theme",
                "took part in %(count)d activities whose records use words of the theme",
                count,
            )
            % {"count": count}
        )
    if suggestion.signals.get("semantic", 0) > 0.3:
        reasons.append(
            _("close in meaning (%(similarity)s)")
            % {"similarity": number_format(suggestion.signals["semantic"], 2)}
        )
    if suggestion.path:
        reasons.append(
            _("already works with %(partner)s (%(activity)s)")
            % {"partner": suggestion.path[0], "activity": suggestion.path[1]}
        )
    if suggestion.new_country:
        reasons.append(_("a country the region does not work with yet"))
    return reasons


def write_reasons(
    best: list[Suggestion],
    chosen: dict[tuple[str, int], SearchEntry],
    theme: set,
    region: list[int],
    user: AnyUser,
) -> None:
    """The reasons of the best suggestions, with what networks and programs add: the
    networks a person or an organization belongs to, a network's members in the region, a
    program's coordinator and the region's part in it, all as ``user`` may read them."""
    french = (get_language() or "en").startswith("fr")
    actors = [s.actor for s in best if s.group in ("person", "organization", "network")]
    network_pks = [s.actor[1] for s in best if s.group == "network"]
    of_actor, members = networks.memberships(actors, network_pks, user, french)
    joined = {network for found in of_actor.values() for network, _name in found}
    network_topics = dict(
        entries_of(Organization, joined | set(network_pks), user).values_list("object_id", "topics")
    )
    programs = [s.actor[1] for s in best if s.group == "program"]
    coordinators, regional = networks.program_people(programs, region, user, french)

    def main_topics(slugs: str) -> list[str]:
        mine = slugs.split()
        return [t for t in mine if t in theme] or mine[:2]

    wanted = {slug for s in best for slug in s.shared_topics}
    wanted |= {t for slugs in network_topics.values() for t in main_topics(slugs)}
    names = topic_names(wanted)

    def named(slugs: str) -> str:
        return ", ".join(names.get(t, t) for t in main_topics(slugs))

    _name_in_language(best, get_language() or "en")
    for suggestion in best:
        # a network's tie with the region is its membership, said below
        shown = replace(suggestion, path=[]) if suggestion.group == "network" else suggestion
        suggestion.reasons = _reasons(shown, names)
        if suggestion.group == "network":
            topics = "" if suggestion.shared_topics else network_topics.get(suggestion.actor[1])
            suggestion.reasons[:0] = networks.network_reasons(
                members.get(suggestion.actor[1], []), named(topics or "")
            )
        elif suggestion.group == "program":
            entry = chosen[suggestion.actor]
            label = str(Kind(entry.subkind).label) if entry.subkind in Kind.values else ""
            suggestion.reasons += networks.program_reasons(
                label,
                coordinators.get(suggestion.actor[1], []),
                regional.get(suggestion.actor[1], []),
            )
        suggestion.reasons += networks.member_reasons(
            of_actor.get(suggestion.actor, []),
            {pk: named(slugs) for pk, slugs in network_topics.items()},
        )


def _name_in_language(best: list[Suggestion], language: str) -> None:
    """Organizations and activities named in the reader's language (the index keeps one
    title, the English one): the CIRC for a French reader, not the IARC."""
    language = language[:2]
    for model, kind in ((Organization, "organization"), (Activity, "activity")):
        pks = {s.actor[1]: s for s in best if s.actor[0] == kind}
        for record in model.objects.filter(pk__in=pks).defer(*_LONG_FIELDS[kind]):
            if kind == "organization":
                name = getattr(record, f"name_{language}", "") or record.name
            else:
                name = localized(record, "title", language)
            pks[record.pk].name = name or pks[record.pk].name


_LONG_FIELDS = {
    "organization": (),
    "activity": ("summary_en", "summary_fr", "objectives_en", "objectives_fr"),
}


def entries_of(model: type[Model], pks: set[int], user: AnyUser):
    """The search entries of these records of ``model`` that ``user`` may read."""
    from passerelle.core.visibility import entries_visible_to

    return entries_visible_to(
        SearchEntry.objects.filter(content_type=entry_type(model), object_id__in=pks), user
    )


def describe_evidence(suggestions: list[Suggestion]) -> None:
    ids = {e["activity"] for s in suggestions for e in s.evidence}
    french = (get_language() or "en").startswith("fr")
    titles = {
        pk: (uid, (french and title_fr) or title_en)
        for pk, uid, title_en, title_fr in Activity.objects.filter(pk__in=ids).values_list(
            "pk", "uid", "title_en", "title_fr"
        )
    }
    for suggestion in suggestions:
        suggestion.evidence = [
            {
                "id": str(titles[e["activity"]][0]),
                "title": titles[e["activity"]][1],
                "role": e["role"],
                "role_label": str(Role(e["role"]).label) if e["role"] in Role.values else "",
            }
            for e in suggestion.evidence
            if e["activity"] in titles
        ]
