"""What the commitment checker reads, for any number of agreements in a fixed number of
queries (``gather``): the agreements' commitments and parties, the links staff made, and
the rule's candidates — the activities of a fulfilling kind that two parties share — with
their dates, countries, people and sources. What is read is what the user reads: an
anonymous caller's facts are public records only. The judging is ``commitments``'.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Q

from passerelle.core.dates import PartialDate
from passerelle.core.models import Citation
from passerelle.core.querysets import rule_of

from .models import Activity, ActivityLink, Commitment, Participation
from .vocabulary import CommitmentArea, Kind, LinkRelation, Role

if TYPE_CHECKING:
    from .commitments import Term

#: The kinds of activity that can fulfil each key area.
KINDS = {
    CommitmentArea.JOINT_EVENTS: (Kind.EVENT,),
    CommitmentArea.EXCHANGES: (Kind.EXCHANGE,),
    CommitmentArea.JOINT_PROJECTS: (Kind.PROJECT, Kind.PROGRAM),
}
_CANDIDATE_KINDS = tuple({k for kinds in KINDS.values() for k in kinds})


@functools.lru_cache(maxsize=4096)  # a network's dates are few and repeat
def first_day(text: str) -> datetime.date | None:
    return PartialDate.parse(text).first_day if text else None


@functools.lru_cache(maxsize=4096)
def last_day(text: str) -> datetime.date | None:
    return PartialDate.parse(text).last_day if text else None


@dataclass
class Facts:
    """What the checker read for a set of agreements (see ``gather``)."""

    commitments: dict[int, list[Commitment]]
    parties: dict[int, set[int]]
    in_region: set[int]
    links: dict[int, list[tuple[int, str, int | None]]]  # agreement → (activity, relation, c)
    candidates: dict[int, set[int]]  # agreement → activities two of its parties share
    activities: dict[int, dict]
    countries: dict[int, list[str]]
    people: dict[int, int]
    sending: dict[int, set[int]]
    receiving: dict[int, set[int]]
    sources: dict[int, list[dict]]
    terms: dict[int, Term] = field(default_factory=dict)  # filled as agreements are judged


#: Passed as the user by the command line, which reads every record as an administrator.
EVERY_RECORD = object()


def readable_at(model, user, prefix: str) -> Q:
    """The condition that the ``model`` row at ``prefix`` is read by the user, as a join
    (an ``IN (SELECT …)`` of the whole table plans badly on SQLite)."""
    if user is EVERY_RECORD:
        return Q()
    return rule_of(model).rule(user, model, "view", prefix)


def readable(model, user):
    """The rows of ``model`` the user reads (every row for :data:`EVERY_RECORD`)."""
    if user is EVERY_RECORD:
        return model._default_manager.all()
    return model._default_manager.restrict(user, "view")


def gather(user, agreements: list[Activity]) -> Facts:
    """Everything the verdicts need, in a fixed number of queries."""
    ids = [a.pk for a in agreements]
    activities_read = readable(Activity, user)
    commitments: dict[int, list[Commitment]] = defaultdict(list)
    for c in readable(Commitment, user).filter(agreement_id__in=ids):
        commitments[c.agreement_id].append(c)
    # an agreement with no commitment the user reads has nothing to observe
    ids = [pk for pk in ids if pk in commitments]
    parties: dict[int, set[int]] = defaultdict(set)
    in_region: set[int] = set()
    party_rows = (
        readable(Participation, user)
        .filter(activity_id__in=ids, role=Role.PARTY, organization__isnull=False)
        .values_list("activity_id", "organization_id", "organization__in_region")
        .order_by()
    )
    for agreement_id, org, region in party_rows:
        parties[agreement_id].add(org)
        if region:
            in_region.add(org)
    links: dict[int, list] = defaultdict(list)
    link_rows = (
        ActivityLink.objects.filter(
            object_id__in=ids,
            relation__in=(LinkRelation.FULFILS, LinkRelation.NOT_FULFILS, LinkRelation.PART_OF),
        )
        .filter(readable_at(Activity, user, "subject__"))
        .values_list("object_id", "subject_id", "relation", "commitment_id")
    )
    for agreement_id, subject, relation, commitment in link_rows:
        links[agreement_id].append((subject, relation, commitment))
    candidates = _shared(user, agreements, ids, parties)
    wanted = {a for rows in links.values() for a, _r, _c in rows}
    wanted |= set().union(*candidates.values()) if candidates else set()
    return _read_activities(
        user, activities_read, wanted, commitments, parties, in_region, links, candidates
    )


#: Up to this many agreements, the activities two parties share are counted by the
#: database (one grouped query each); above, from one read of the parties' participations.
FEW = 10


def _shared(user, agreements: list[Activity], ids: list[int], parties: dict[int, set[int]]):
    """For each agreement, the activities of a fulfilling kind that two of its parties (or
    more) take part in: the rule's candidates (for many agreements, only those begun within
    the agreement's term or undated; the judging filters by term in any case)."""
    # not ordered: a participation's order is its activity's, a join and a sort of them all
    rows = readable(Participation, user).filter(activity__kind__in=_CANDIDATE_KINDS).order_by()
    shared: dict[int, set[int]] = defaultdict(set)
    if len(ids) <= FEW:
        sizes = dict(
            Participation.objects.filter(organization_id__in=set().union(*parties.values()))
            .values("organization_id")
            .annotate(n=Count("pk"))
            .values_list("organization_id", "n")
            .order_by()
        )
        by_pk = {a.pk: a for a in agreements}
        for agreement_id, orgs in parties.items():
            if len(orgs) < 2:
                continue
            # two parties of n share an activity only if one of the n - 1 smallest is in it
            seed = sorted(orgs, key=lambda org: sizes.get(org, 0))[:-1]
            found = _shared_by(
                Participation.objects.filter(activity__kind__in=_CANDIDATE_KINDS)
                .filter(_term_window(by_pk[agreement_id]))
                .filter(
                    activity_id__in=Participation.objects.filter(organization_id__in=seed).values(
                        "activity_id"
                    )
                ),
                orgs,
            )
            if user is not EVERY_RECORD and found:  # the rule, on the few shared ones only
                found = _readably_shared(rows, found, orgs)
            shared[agreement_id] = found
        return shared
    terms = {a.pk: (first_day(a.start), last_day(a.end)) for a in agreements}
    return _shared_within_terms(rows, parties, terms)


def _shared_by(participations, orgs: set[int]) -> set[int]:
    """The activities among ``participations`` that two or more of ``orgs`` take part in."""
    return set(
        participations.filter(organization_id__in=orgs)
        .values("activity_id")
        .annotate(n=Count("organization_id", distinct=True))
        .filter(n__gte=2)
        .values_list("activity_id", flat=True)
        .order_by()
    )


def _readably_shared(rows, found: set[int], orgs: set[int]) -> set[int]:
    """Those of ``found`` that two of ``orgs`` take part in through participations the user
    reads (``rows``). Read by activity and counted here: asked by organization as well, the
    database walks a hub's every participation, the rule's checks on each."""
    parties_in: dict[int, set[int]] = defaultdict(set)
    for activity, org in rows.filter(activity_id__in=found).values_list(
        "activity_id", "organization_id"
    ):
        if org in orgs:
            parties_in[activity].add(org)
    return {activity for activity, present in parties_in.items() if len(present) >= 2}


def _term_window(agreement: Activity) -> Q:
    """A coarse window in SQL on the activity's start, wider than the agreement's term
    (partial dates compare as text: "2022" sorts before "2022-01-01"), undated ones kept;
    the judging applies the exact term."""
    start, end = first_day(agreement.start), last_day(agreement.end)
    window = Q()
    if start:
        window &= Q(activity__start__gte=str(start.year))
    if end:
        window &= Q(activity__start__lte=end.isoformat())
    return (window | Q(activity__start="")) if window else window


def _shared_within_terms(rows, parties: dict[int, set[int]], terms: dict) -> dict[int, set[int]]:
    """The candidates of many agreements from one read of their parties' participations,
    looking only at what began within each agreement's term (or is undated): each party's
    activities are sorted by their start, and a pair of parties costs the part of the
    smaller one's list that falls within the term, not all it ever did (a hub's agreements
    would otherwise walk its tens of thousands of activities each, for a few hundred)."""
    all_parties = set().union(*parties.values()) if parties else set()
    pairs = _cursor_rows(
        rows.filter(organization_id__in=all_parties).values_list("organization_id", "activity_id")
    )
    began: dict[int, int | None] = {}
    for pk, start in _cursor_rows(
        Activity.objects.filter(kind__in=_CANDIDATE_KINDS).values_list("pk", "start").order_by()
    ):
        day = first_day(start) if start else None
        began[pk] = day.toordinal() if day else None
    every: dict[int, set[int]] = defaultdict(set)
    for org, activity in pairs:
        every[org].add(activity)
    dated: dict[int, tuple[list[int], list[int]]] = {}
    undated: dict[int, list[int]] = {}
    for org, activities in every.items():
        known = sorted((began[a], a) for a in activities if began.get(a) is not None)
        dated[org] = ([day for day, _a in known], [a for _day, a in known])
        undated[org] = [a for a in activities if began.get(a) is None]
    shared: dict[int, set[int]] = defaultdict(set)
    for agreement_id, orgs in parties.items():
        start, end = terms.get(agreement_id, (None, None))
        low = start.toordinal() if start else None
        high = end.toordinal() if end else None
        within = {}
        for org in orgs:
            days, activities = dated.get(org, ([], []))
            first = bisect.bisect_left(days, low) if low is not None else 0
            last = bisect.bisect_right(days, high) if high is not None else len(days)
            within[org] = activities[first:last] + undated.get(org, [])
        ordered = sorted(orgs, key=lambda org: len(within[org]))
        found: set[int] = set()
        for i, smaller in enumerate(ordered):  # each pair costs the smaller one's term
            for other in ordered[i + 1 :]:
                found.update(every[other].intersection(within[smaller]))
        shared[agreement_id] = found
    return shared


def _read_activities(
    user, activities_read, wanted, commitments, parties, in_region, links, candidates
):
    columns = ["pk", "uid", "kind", "category", "title_en", "title_fr", "start", "end"]
    columns += ["exchange_category", "headcount", "exchange_status"]
    activities = {}
    for values in _cursor_rows(
        # only a fulfilling kind can count, whatever staff linked (the judging checks it)
        _within(activities_read.filter(kind__in=_CANDIDATE_KINDS), "pk", wanted)
        .values_list(*columns)
        .order_by()
    ):
        if values[0] in wanted:
            row = dict(zip(columns, values, strict=True))
            row["begun"] = first_day(row["start"])
            activities[values[0]] = row
    found = set(activities)
    countries_of: dict[int, list[str]] = defaultdict(list)
    for activity, country in _cursor_rows(
        _within(Activity.places.through.objects.all(), "activity_id", found)
        .filter(readable_at(_place_model(), user, "place__"))
        .values_list("activity_id", "place__country")
        .order_by("activity_id", "place__country")
    ):
        if activity in found:
            countries_of[activity].append(country)
    exchanges = [pk for pk, row in activities.items() if row["kind"] == Kind.EXCHANGE]
    # the people of each exchange and its sending and receiving sides, in one read
    people: dict[int, int] = defaultdict(int)
    sending: dict[int, set[int]] = defaultdict(set)
    receiving: dict[int, set[int]] = defaultdict(set)
    for activity, role, org, person in (
        readable(Participation, user)
        .filter(activity_id__in=exchanges)
        .values_list("activity_id", "role", "organization_id", "person_id")
        .order_by()
    ):
        if person is not None:
            people[activity] += 1
        if role == Role.SENDING:
            sending[activity].add(org)
        elif role == Role.RECEIVING:
            receiving[activity].add(org)
    sources: dict[int, list[dict]] = defaultdict(list)
    citations = _within(
        readable(Citation, user).filter(content_type=ContentType.objects.get_for_model(Activity)),
        "object_id",
        found,
    )
    for activity, title, url, quotation in _cursor_rows(
        citations.values_list("object_id", "source__title", "source__url", "quotation").order_by(
            "object_id", "pk"
        )
    ):
        if activity in found:
            sources[activity].append({"source": title, "url": url or None, "quotation": quotation})
    return Facts(
        commitments, parties, in_region, links, candidates, activities, countries_of,
        people, sending, receiving, sources,
    )  # fmt: skip


def _cursor_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset (its rule and all) straight from the cursor:
    for the hundreds of thousands of rows a check of every agreement reads, Django's row
    iteration costs more than the query. Only for columns that need no conversion."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # an empty ``IN``: Django knows there is no row
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _within(queryset, field: str, ids: set[int]):
    """``queryset`` narrowed to ``ids``, or, for many ids, not narrowed at all (the caller
    keeps what it asked for): an ``IN`` of a hundred thousand ids costs more to send and
    plan than reading the whole of a table's relevant rows."""
    return queryset.filter(**{f"{field}__in": ids}) if len(ids) <= MANY else queryset


#: Above this many ids, a read is not narrowed by an ``IN`` list (see ``_within``).
MANY = 5000


def _place_model():
    return Activity._meta.get_field("places").related_model
