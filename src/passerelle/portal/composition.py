"""The International relations page, written from the records.

Activities are grouped as the cluster's hand-written page grouped them, by what
the records say (kind, category, roles, links), never by which record they are;
each paragraph is composed from an activity and its public participations:
coordinator and city, partners, supporters, parties, key areas, alternating
hosts, editions, years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import Kind, LinkRelation, Role
from passerelle.core.dates import PartialDate
from passerelle.core.visibility import public, public_participations


@dataclass
class Entry:
    """One activity on the page, its sentence, and the activities that are part of it."""

    activity: Activity
    sentence: SafeString
    parts: list[Entry] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]


SECTIONS: list[tuple[str, object]] = [
    ("networks", gettext_lazy("International projects and networks")),
    ("clusters", gettext_lazy("Collaborative programs with other clusters")),
    ("europe", gettext_lazy("European programs")),
    ("agreements", gettext_lazy("Partnership agreements")),
    ("delegations", gettext_lazy("Delegations")),
    ("thematic", gettext_lazy("Thematic collaborations")),
    ("events", gettext_lazy("Symposia and events")),
    ("countries", gettext_lazy("Country programs")),
]


def international_relations() -> list[Section]:
    """The page's sections, in the active language, from public records only."""
    participations = (
        public_participations(Participation.objects.all())
        .select_related("organization__place", "person", "place")
        .order_by("pk")
    )
    activities = list(
        public(Activity.objects.all())
        .prefetch_related(
            Prefetch("participations", queryset=participations), "topics", "places", "commitments"
        )
        .order_by("start", "pk")
    )
    by_pk = {a.pk: a for a in activities}
    parents: dict[int, int] = {}
    for subject, parent in ActivityLink.objects.filter(
        relation=LinkRelation.PART_OF, subject__in=by_pk, object__in=by_pk
    ).values_list("subject_id", "object_id"):
        parents.setdefault(subject, parent)
    children: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        if activity.pk in parents:
            children[parents[activity.pk]].append(activity)

    def entry(activity: Activity) -> Entry:
        return Entry(
            activity,
            sentence(activity, children[activity.pk]),
            [entry(child) for child in children[activity.pk] if not _folded(activity, child)],
        )

    grouped: dict[str, list[Entry]] = defaultdict(list)
    for activity in activities:
        if activity.pk not in parents:
            grouped[section_of(activity)].append(entry(activity))
    return [Section(key, str(title), grouped[key]) for key, title in SECTIONS if grouped[key]]


def section_of(activity: Activity) -> str:
    """Which section of the page an activity that is part of no other belongs to."""
    if activity.category == "international_network" or activity.kind == Kind.MEMBERSHIP:
        return "networks"
    if activity.category in ("flagship_program", "observatory"):
        return "europe"
    if activity.category == "cooperation_program":
        return "countries"
    if activity.kind == Kind.AGREEMENT:
        return "agreements"
    if activity.kind == Kind.DELEGATION:
        return "delegations"
    if activity.kind == Kind.EVENT:
        return "events"
    if any(
        p.organization and p.organization.kind == "cluster" and not p.organization.in_region
        for p in activity.participations.all()
    ):
        return "clusters"
    return "thematic"


def _folded(parent: Activity, child: Activity) -> bool:
    """Exchanges of a program are told in one sentence of the program, not one each."""
    return child.kind == Kind.EXCHANGE and parent.kind != Kind.EXCHANGE


# -- sentences


def join(items: list) -> SafeString:
    """ "A", "A and B", "A, B and C" in the active language, each item escaped."""
    items = [format_html("{}", item) for item in items if item]
    if not items:
        return mark_safe("")
    if len(items) == 1:
        return items[0]
    head = format_html_join(", ", "{}", ((item,) for item in items[:-1]))
    return format_html(_("{head} and {last}"), head=head, last=items[-1])


def actor_label(participation: Participation) -> SafeString:
    """ "Pr. C. Brambilla in Grenoble", "the French National Cancer Institute (INCa)"."""
    actor = participation.actor
    if participation.person_id:
        place = participation.place or actor.place
        if place and place.name:
            return format_html(_("{person} in {city}"), person=actor.display_name, city=place.name)
        return format_html("{}", actor.display_name)
    if actor.acronym and actor.acronym not in actor.display_name:
        return format_html("{} ({})", actor.display_name, actor.acronym)
    return format_html("{}", actor.display_name)


def _by_role(activity: Activity) -> dict[str, list[SafeString]]:
    roles: dict[str, list[SafeString]] = defaultdict(list)
    for participation in activity.participations.all():
        roles[participation.role].append(actor_label(participation))
    return roles


EXCHANGED = {
    "researcher": gettext_lazy("researchers"),
    "physician": gettext_lazy("physicians"),
    "master_student": gettext_lazy("Master's students"),
    "phd_student": gettext_lazy("PhD students"),
    "resident": gettext_lazy("residents"),
}


def _lower_first(name: str) -> str:
    """ "Lung cancer" → "lung cancer" mid-sentence, but "MeSH" and "DKFZ" stay."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _year(text: str) -> str:
    return PartialDate.parse(text).display() if text else ""


CLAUSES: list[tuple[str, Callable[[list], SafeString]]] = [
    (Role.COORDINATOR, lambda a: format_html(_("coordinated by {}"), join(a))),
    (Role.ORGANIZER, lambda a: format_html(_("organized by {}"), join(a))),
    (Role.CO_ORGANIZER, lambda a: format_html(_("jointly organized by {}"), join(a))),
    (Role.HOST, lambda a: format_html(_("hosted by {}"), join(a))),
    (Role.PARTNER, lambda a: format_html(_("with {}"), join(a))),
    (Role.MEMBER, lambda a: format_html(_("with members {}"), join(a))),
    (Role.PARTICIPANT, lambda a: format_html(_("with the participation of {}"), join(a))),
    (Role.SUPPORTER, lambda a: format_html(_("supported by {}"), join(a))),
    (Role.FUNDER, lambda a: format_html(_("funded by {}"), join(a))),
    (Role.VISITOR, lambda a: format_html(_("visitors: {}"), join(a))),
]


def sentence(activity: Activity, children: list[Activity]) -> SafeString:
    """The paragraph of one activity."""
    roles = _by_role(activity)
    clauses: list[SafeString] = []
    if activity.kind == Kind.AGREEMENT:
        clauses.append(format_html(_("between {}"), join(roles.get(Role.PARTY, []))))
        if activity.signed_on:
            clauses.append(format_html(_("signed in {}"), _year(activity.signed_on)))
    if activity.kind == Kind.DELEGATION and activity.delegation_country:
        template = (
            _("a delegation from {}")
            if activity.direction == "incoming"
            else _("a delegation to {}")
        )
        clauses.append(format_html(template, activity.delegation_country.name))
    for role, clause in CLAUSES:
        if roles.get(role):
            clauses.append(clause(roles[role]))
    topics = [_lower_first(t.name) for t in activity.topics.all()]
    if topics:
        clauses.append(format_html(_("on {}"), join(topics)))
    if activity.edition:
        clauses.append(format_html(_("edition {}"), activity.edition))
    if activity.alternating and activity.places.count() > 1:
        clauses.append(
            format_html(
                _("held alternately in {}"),
                join([p.name or p.region for p in activity.places.all()]),
            )
        )
    elif activity.places.all() and activity.kind in (Kind.PROJECT, Kind.EVENT):
        clauses.append(
            format_html(_("in {}"), join([p.name or p.region for p in activity.places.all()]))
        )
    editions = sorted(c.edition for c in children if c.kind == Kind.EVENT and c.edition)
    if activity.category == "event_series" and editions == list(range(1, len(editions) + 1)):
        # a count is only true when every edition is recorded
        clauses.append(
            format_html(ngettext("{} edition", "{} editions", len(editions)), len(editions))
        )
    if activity.start and activity.kind != Kind.AGREEMENT:
        clauses.append(
            format_html(
                _("since {}") if not activity.end else "{}",
                _year(activity.start) if not activity.end else activity.interval_display,
            )
        )
    exchanges = [
        EXCHANGED[c.exchange_category]
        for c in children
        if c.kind == Kind.EXCHANGE and c.exchange_category
    ]
    if exchanges:
        clauses.append(format_html(_("exchanges of {}"), join([str(e) for e in exchanges])))
    text = format_html_join("; ", "{}", ((c,) for c in clauses))
    purpose = activity.purpose if activity.kind == Kind.DELEGATION else activity.summary
    if activity.kind == Kind.AGREEMENT and activity.commitments.all():
        areas = format_html_join("; ", "{}", ((c.text,) for c in activity.commitments.all()))
        text = format_html(
            _("{text}; in {count} key areas: {areas}"),
            text=text,
            count=len(activity.commitments.all()),
            areas=areas,
        )
    if purpose:
        return _capitalized(format_html("{}. {}", text, purpose))
    return _capitalized(format_html("{}.", text)) if text else mark_safe("")


def _capitalized(text: SafeString) -> SafeString:
    """A sentence starts with a capital; its first character is text, never markup."""
    return mark_safe(text[:1].upper() + text[1:])
