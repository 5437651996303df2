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

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import Kind, LinkRelation, Role
from passerelle.core.dates import PartialDate
from passerelle.core.visibility import PUBLIC, is_public, public, public_participations

from .models import SECTIONS, FeaturedActivity, SectionSetting
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
    total: int  # activities in the section, shown or not


#: Activities a section shows besides the featured ones; the section's own page lists all.
SECTION_LIMIT = 12


def section_filters() -> dict[str, Q]:
    """Each section's activities as a filter: an activity goes to the first section it fits.

    Grouping by what the records say (kind, category, who takes part), as SQL, so
    that the page stays fast however many activities there are.
    """
    cluster_abroad = Exists(
        public_participations(
            Participation.objects.filter(
                activity=OuterRef("pk"), organization__kind="cluster", organization__in_region=False
            )
        )
    )
    rules = [
        ("networks", Q(category="international_network") | Q(kind=Kind.MEMBERSHIP)),
        ("europe", Q(category__in=("flagship_program", "observatory"))),
        ("countries", Q(category="cooperation_program")),
        ("agreements", Q(kind=Kind.AGREEMENT)),
        ("delegations", Q(kind=Kind.DELEGATION)),
        ("events", Q(kind=Kind.EVENT)),
        ("clusters", Q(cluster_abroad)),
        ("thematic", Q()),
    ]
    filters: dict[str, Q] = {}
    earlier: Q | None = None
    for key, rule in rules:
        filters[key] = rule if earlier is None else rule & ~earlier
        earlier = rule if earlier is None else earlier | rule
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


def international_relations() -> list[Section]:
    """The page's sections, in the active language, from public records only."""
    filters = section_filters()
    top = top_level_activities()
    chosen: list[tuple[str, str, list[Activity], int]] = []
    for key, title in shown_sections():
        in_section = top.filter(filters[key])
        featured = list(in_section.filter(feature__isnull=False).order_by("feature__position"))
        latest = list(
            in_section.filter(feature__isnull=True).order_by("-start", "-pk")[:SECTION_LIMIT]
        )
        total = len(featured) + len(latest)
        if len(latest) == SECTION_LIMIT:
            total = in_section.count()
        latest.sort(key=lambda a: (a.start, a.pk))  # the page tells them in time order
        if featured or latest:
            chosen.append((key, title, featured + latest, total))
    entries = compose([a for _k, _t, activities, _n in chosen for a in activities])
    featured_pks = set(
        FeaturedActivity.objects.filter(
            activity__in=[a for *_ignored, activities, _n in chosen for a in activities]
        ).values_list("activity_id", flat=True)
    )
    sections = []
    for key, title, activities, total in chosen:
        section_entries = [entries[a.pk] for a in activities]
        for entry in section_entries:
            entry.featured = entry.activity.pk in featured_pks
        sections.append(Section(key, title, section_entries, total))
    return sections


def section_activities(key: str) -> QuerySet:
    """Every activity of one section, for the section's own pages."""
    return top_level_activities().filter(section_filters()[key]).order_by("start", "pk")


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
