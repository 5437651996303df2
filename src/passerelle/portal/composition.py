"""The International relations page, written from the records.

Activities are grouped as the cluster's hand-written page grouped them, by what
the records say (kind, category, roles, links), never by which record they are;
each paragraph is composed from an activity and its public participations:
coordinator and city, partners, supporters, parties, key areas, alternating
hosts, editions, years.
"""

from __future__ import annotations

from collections import defaultdict
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
from django.utils.html import format_html
from django.utils.safestring import SafeString

from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import Kind, LinkRelation
from passerelle.core.visibility import PUBLIC, public, public_participations

from .dependencies import read_record
from .models import SECTIONS, ActivityWording, SectionSetting
from .voice import Voice, language


@dataclass
class Entry:
    """One activity on the page, its sentence, and the activities that are part of it."""

    activity: Activity
    sentence: SafeString
    parts: list[Entry] = field(default_factory=list)
    featured: bool = False
    headline: str = ""


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]
    more: bool  # the section holds more activities than the page shows
    lede: str = ""  # the section's own sentence: staff's, else composed (safe markup)


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


@dataclass
class ShownSection:
    key: str
    title: str
    lede: str  # staff's, in the active language; "" when they wrote none


def shown_sections() -> list[ShownSection]:
    """The sections in the order staff chose, hidden ones left out, with staff's headline
    and lede in the active language where they wrote one.

    A section staff placed goes at its position, before an unplaced one at the
    same place in the default order.
    """
    settings = {s.key: s for s in SectionSetting.objects.all()}
    default = {key: index for index, (key, _title) in enumerate(SECTIONS)}
    lang = language()

    def place(key: str) -> tuple[int, int, int]:
        if key in settings:
            return (settings[key].position, 0, default[key])
        return (default[key], 1, default[key])

    titles = dict(SECTIONS)
    keys = [key for key in titles if key not in settings or settings[key].shown]
    shown = []
    for key in sorted(keys, key=place):
        setting = settings.get(key)
        headline = setting.written("headline", lang) if setting else ""
        lede = setting.written("lede", lang) if setting else ""
        shown.append(ShownSection(key, headline or str(titles[key]), lede))
    return shown


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
    latest = _latest_by_section([s.key for s in shown])
    by_pk = Activity.objects.in_bulk([pk for pks in latest.values() for pk in pks])
    chosen = []
    for setting in shown:
        recent = sorted((by_pk[pk] for pk in latest[setting.key]), key=lambda a: (a.start, a.pk))
        if featured[setting.key] or recent:
            chosen.append((setting, featured[setting.key], recent))
    composer = Composer([a for _setting, first, rest in chosen for a in first + rest])
    sections = []
    for setting, first, rest in chosen:
        # staff's lede wins; the composed one, and what it spares the entries, only without it
        lede, left_out = (
            (format_html("{}", setting.lede), frozenset())
            if setting.lede
            else composer.shared(first + rest)
        )
        entries = [composer.entry(a, left_out) for a in first + rest]
        for entry in entries[: len(first)]:
            entry.featured = True
        sections.append(
            Section(setting.key, setting.title, entries, more=len(rest) == SECTION_LIMIT, lede=lede)
        )
    return sections


def section_activities(key: str) -> QuerySet:
    """Every activity of one section, for the section's own pages."""
    return (
        with_section_fields(top_level_activities())
        .filter(section_filters()[key])
        .order_by("start", "pk")
    )


class Composer:
    """The entries of some activities, their public parts loaded in few queries, written
    by one :class:`~.voice.Voice` in the order they are asked for (the page's order: an
    organization is introduced in full where it is first named)."""

    def __init__(self, activities: list[Activity]) -> None:
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
        self.children: dict[int, list[Activity]] = defaultdict(list)
        level, seen = activities, [a.pk for a in activities]
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
                if all(c.pk != link.subject_id for c in self.children[link.object_id]):
                    self.children[link.object_id].append(link.subject)
                    level.append(link.subject)
                    seen.append(link.subject_id)
            prefetch_related_objects(level, *lookups)
        self.wordings = {
            w.activity_id: w for w in ActivityWording.objects.filter(activity__in=seen)
        }
        self.voice = Voice()

    def entry(
        self,
        activity: Activity,
        left_out: frozenset = frozenset(),
        parent: Activity | None = None,
    ) -> Entry:
        read_record(activity)  # its sentence tells its summary, partners, places…
        lang = self.voice.lang
        wording = self.wordings.get(activity.pk)
        lede = wording.written("lede", lang) if wording else ""
        children = self.children[activity.pk]
        sentence = (
            format_html("{}", lede)
            if lede
            else self.voice.entry(activity, children, parent, left_out)
        )
        parts = []
        for child in children:
            if _folded(activity, child):
                parts += [self.entry(g, parent=child) for g in self.children[child.pk]]
            else:
                parts.append(self.entry(child, parent=activity))
        return Entry(activity, sentence, parts, headline=_headline(activity, wording, lang))

    def shared(self, activities: list[Activity]) -> tuple[SafeString, frozenset]:
        return self.voice.shared_support(activities)


def compose(activities: list[Activity]) -> dict[int, Entry]:
    """Entries for these activities, each with its public parts, in few queries."""
    composer = Composer(activities)
    return {activity.pk: composer.entry(activity) for activity in activities}


def _headline(activity: Activity, wording, lang: str) -> str:
    """Staff's headline, else the title with its acronym: European Lymphoma Institute (ELI)."""
    written = wording.written("headline", lang) if wording else ""
    if written:
        return written
    title = activity.title
    if activity.acronym and activity.acronym not in title:
        return f"{title} ({activity.acronym})"
    return title


def _folded(parent: Activity, child: Activity) -> bool:
    """Told in the parent's own sentence, not as an entry of its own: the exchanges of a
    program ("it includes exchanges of …"), the editions of a series ("three seminars have
    been held"; what an edition holds comes up to the series)."""
    if child.kind == Kind.EXCHANGE and parent.kind != Kind.EXCHANGE:
        return True
    return parent.category == "event_series" and child.kind == Kind.EVENT and bool(child.edition)
