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

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import Kind, LinkRelation, Role
from passerelle.core.dates import PartialDate
from passerelle.core.visibility import PUBLIC, is_public, public, public_participations

from .models import SECTIONS, SectionSetting
from .references import url_of


@dataclass
class Entry:
    """One activity on the page, its sentence, and the activities that are part of it."""

    activity: Activity
    sentence: SafeString
    parts: list[Entry] = field(default_factory=list)
    featured: bool = False


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]
    more: bool  # the section holds more activities than the page shows


#: Activities a section shows besides the featured ones; the section's own page lists all.
SECTION_LIMIT = 12
#: Latest activities read to fill the sections before asking the database section by section.
SCAN = 2000

#: Which section an activity that is part of no other goes to: the first rule it meets,
#: a rule being met when any of its fields has one of the values. Grouping by what the
#: records say (kind, category, who takes part), never by which record it is.
SECTION_RULES: list[tuple[str, dict[str, set]]] = [
    ("networks", {"category": {"international_network"}, "kind": {Kind.MEMBERSHIP}}),
    ("europe", {"category": {"flagship_program", "observatory"}}),
    ("countries", {"category": {"cooperation_program"}}),
    ("agreements", {"kind": {Kind.AGREEMENT}}),
    ("delegations", {"kind": {Kind.DELEGATION}}),
    ("events", {"kind": {Kind.EVENT}}),
    ("clusters", {"with_cluster_abroad": {True}}),
    ("thematic", {}),
]


def with_section_fields(activities: QuerySet) -> QuerySet:
    """Activities with what the rules read that is not a column: a cluster abroad takes part.

    An IN over the few activities of clusters abroad, computed once, rather than
    an EXISTS per activity: the rarest section is the one read furthest.
    """
    with_clusters = public_participations(
        Participation.objects.filter(organization__kind="cluster", organization__in_region=False)
    ).values("activity_id")
    return activities.annotate(
        with_cluster_abroad=Case(
            When(pk__in=with_clusters, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def section_of(activity: Activity) -> str:
    """The section of an activity read through ``with_section_fields``."""
    for key, rule in SECTION_RULES:
        if not rule or any(getattr(activity, name) in values for name, values in rule.items()):
            return key
    raise AssertionError("the last rule takes everything")


def section_filters() -> dict[str, Q]:
    """The same rules as filters, for ``with_section_fields`` querysets."""

    def matches(rule: dict[str, set]) -> Q:
        condition = Q()
        for name, values in rule.items():
            condition |= Q(**{name: True}) if values == {True} else Q(**{f"{name}__in": values})
        return condition

    filters: dict[str, Q] = {}
    earlier = Q()
    for key, rule in SECTION_RULES:
        filters[key] = matches(rule) & ~earlier if earlier else matches(rule)
        earlier = earlier | matches(rule) if earlier else matches(rule)
    return filters


def top_level_activities() -> QuerySet:
    """Public activities that are part of no other public activity."""
    return public(Activity.objects.all()).filter(
        ~Exists(
            ActivityLink.objects.filter(
                subject=OuterRef("pk"), relation=LinkRelation.PART_OF, object__visibility=PUBLIC
            )
        )
    )


def shown_sections() -> list[tuple[str, str]]:
    """(key, title) of the sections in the order staff chose, hidden ones left out.

    A section staff placed goes at its position, before an unplaced one at the
    same place in the default order.
    """
    settings = {s.key: s for s in SectionSetting.objects.all()}
    default = {key: index for index, (key, _title) in enumerate(SECTIONS)}

    def place(key: str) -> tuple[int, int, int]:
        if key in settings:
            return (settings[key].position, 0, default[key])
        return (default[key], 1, default[key])

    titles = dict(SECTIONS)
    keys = [key for key in titles if key not in settings or settings[key].shown]
    return [(key, str(titles[key])) for key in sorted(keys, key=place)]


def _latest_by_section(keys: list[str]) -> dict[str, list[int]]:
    """The latest activities of each section, not featured, newest first.

    Reading the latest few thousand activities once and sorting them in Python
    fills most sections; only a section still short after that asks the
    database with its own filter (a sort over 100k rows each, otherwise).
    """
    found: dict[str, list[int]] = {key: [] for key in keys}
    candidates = (
        with_section_fields(top_level_activities().filter(feature__isnull=True))
        .order_by("-start", "-pk")
        .only("pk", "kind", "category", "start")
    )
    read = 0
    for activity in candidates[:SCAN].iterator(chunk_size=500):
        read += 1
        key = section_of(activity)
        if key in found and len(found[key]) < SECTION_LIMIT:
            found[key].append(activity.pk)
            if all(len(pks) == SECTION_LIMIT for pks in found.values()):
                break
    exhausted = read < SCAN
    if not exhausted:
        filters = section_filters()
        for key, pks in found.items():
            if len(pks) < SECTION_LIMIT:
                found[key] = list(
                    candidates.filter(filters[key]).values_list("pk", flat=True)[:SECTION_LIMIT]
                )
    return found


def international_relations() -> list[Section]:
    """The page's sections, in the active language, from public records only."""
    shown = shown_sections()
    featured: dict[str, list[Activity]] = defaultdict(list)
    for activity in with_section_fields(
        top_level_activities().filter(feature__isnull=False)
    ).order_by("feature__position", "pk"):
        featured[section_of(activity)].append(activity)
    latest = _latest_by_section([key for key, _title in shown])
    by_pk = Activity.objects.in_bulk([pk for pks in latest.values() for pk in pks])
    chosen = []
    for key, title in shown:
        recent = sorted((by_pk[pk] for pk in latest[key]), key=lambda a: (a.start, a.pk))
        if featured[key] or recent:
            chosen.append((key, title, featured[key], recent))
    entries = compose([a for *_key, first, rest in chosen for a in first + rest])
    sections = []
    for key, title, first, rest in chosen:
        for activity in first:
            entries[activity.pk].featured = True
        sections.append(
            Section(
                key,
                title,
                [entries[a.pk] for a in first + rest],
                more=len(rest) == SECTION_LIMIT,
            )
        )
    return sections


def section_activities(key: str) -> QuerySet:
    """Every activity of one section, for the section's own pages."""
    return (
        with_section_fields(top_level_activities())
        .filter(section_filters()[key])
        .order_by("start", "pk")
    )


def compose(activities: list[Activity]) -> dict[int, Entry]:
    """Entries for these activities, each with its public parts, in few queries."""
    participations = (
        public_participations(Participation.objects.all())
        .select_related("organization__place", "person__place", "place")
        .order_by("pk")
    )
    lookups = (
        Prefetch("participations", queryset=participations),
        "topics",
        "places",
        "commitments",
    )
    prefetch_related_objects(activities, *lookups)
    children: dict[int, list[Activity]] = defaultdict(list)
    level = activities
    while level:
        links = (
            ActivityLink.objects.filter(
                relation=LinkRelation.PART_OF,
                object__in=[a.pk for a in level],
                subject__visibility=PUBLIC,
            )
            .select_related("subject")
            .order_by("subject__start", "subject_id")
        )
        level = []
        for link in links:
            if all(c.pk != link.subject_id for c in children[link.object_id]):
                children[link.object_id].append(link.subject)
                level.append(link.subject)
        prefetch_related_objects(level, *lookups)

    def entry(activity: Activity) -> Entry:
        return Entry(
            activity,
            sentence(activity, children[activity.pk]),
            [entry(child) for child in children[activity.pk] if not _folded(activity, child)],
        )

    return {activity.pk: entry(activity) for activity in activities}


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
    name = actor.display_name
    if participation.organization_id and actor.acronym and actor.acronym not in name:
        name = f"{name} ({actor.acronym})"
    link = format_html('<a href="{}">{}</a>', url_of(actor), name)
    if participation.person_id:
        place = participation.place or actor.place
        if is_public(place) and place.name:
            return format_html(_("{person} in {city}"), person=link, city=place.name)
    return link


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
    topics = [
        format_html('<a href="{}">{}</a>', url_of(t), _lower_first(t.name))
        for t in activity.topics.all()
        if is_public(t)
    ]
    if topics:
        clauses.append(format_html(_("on {}"), join(topics)))
    if activity.edition:
        clauses.append(format_html(_("edition {}"), activity.edition))
    places = [p.name or p.region for p in activity.places.all() if is_public(p)]
    if activity.alternating and len(places) > 1:
        clauses.append(format_html(_("held alternately in {}"), join(places)))
    elif places and activity.kind in (Kind.PROJECT, Kind.EVENT):
        clauses.append(format_html(_("in {}"), join(places)))
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
