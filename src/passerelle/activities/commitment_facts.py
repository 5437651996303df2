"""What the commitment checker reads, for any number of agreements in a fixed number of
queries (``gather``): the agreements' commitments and parties, the links staff made, and
the rule's candidates — the activities of a fulfilling kind that two parties share — with
their dates, countries, people and sources. What is read is what the user reads: an
anonymous caller's facts are public records only. The judging is ``commitments``'.
"""

from __future__ import annotations

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
    candidates = _shared(user, ids, parties)
    wanted = {a for rows in links.values() for a, _r, _c in rows}
    wanted |= set().union(*candidates.values()) if candidates else set()
    return _read_activities(
        user, activities_read, wanted, commitments, parties, in_region, links, candidates
    )


#: Up to this many agreements, the activities two parties share are counted by the
#: database (one grouped query each); above, from one read of the parties' participations.
FEW = 10


def _shared(user, ids: list[int], parties: dict[int, set[int]]) -> dict[int, set[int]]:
    """For each agreement, the activities of a fulfilling kind that two of its parties (or
    more) take part in: the rule's candidates."""
    rows = readable(Participation, user).filter(activity__kind__in=_CANDIDATE_KINDS)
    rows = rows.exclude(activity_id__in=ids)
    shared: dict[int, set[int]] = defaultdict(set)
    if len(ids) <= FEW:
        sizes = dict(
            Participation.objects.filter(organization_id__in=set().union(*parties.values()))
            .values("organization_id")
            .annotate(n=Count("pk"))
            .values_list("organization_id", "n")
            .order_by()
        )
        for agreement_id, orgs in parties.items():
            if len(orgs) < 2:
                continue
            # two parties of n share an activity only if one of the n - 1 smallest is in it
            seed = sorted(orgs, key=lambda org: sizes.get(org, 0))[:-1]
            shared[agreement_id] = set(
                rows.filter(
                    organization_id__in=orgs,
                    activity_id__in=Participation.objects.filter(organization_id__in=seed).values(
                        "activity_id"
                    ),
                )
                .values("activity_id")
                .annotate(n=Count("organization_id", distinct=True))
                .filter(n__gte=2)
                .values_list("activity_id", flat=True)
                .order_by()
            )
        return shared
    all_parties = set().union(*parties.values()) if parties else set()
    by_org: dict[int, set[int]] = defaultdict(set)
    for org, activity in _cursor_rows(
        rows.filter(organization_id__in=all_parties).values_list("organization_id", "activity_id")
    ):
        by_org[org].add(activity)
    for agreement_id, orgs in parties.items():
        ordered = sorted(orgs, key=lambda org: len(by_org.get(org, ())))
        found: set[int] = set()
        for i, first in enumerate(ordered):  # each pair's intersection costs its smaller set
            for second in ordered[i + 1 :]:
                found |= by_org.get(first, set()) & by_org.get(second, set())
        shared[agreement_id] = found
    return shared


def _read_activities(
    user, activities_read, wanted, commitments, parties, in_region, links, candidates
):
    columns = ["pk", "uid", "kind", "category", "title_en", "title_fr", "start", "end"]
    columns += ["exchange_category", "headcount", "exchange_status"]
    activities = {}
    for values in _cursor_rows(
        _within(activities_read, "pk", wanted).values_list(*columns).order_by()
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
    people = dict(
        readable(Participation, user)
        .filter(activity_id__in=exchanges, person__isnull=False)
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values_list("activity_id", "n")
    )
    sending: dict[int, set[int]] = defaultdict(set)
    receiving: dict[int, set[int]] = defaultdict(set)
    for activity, role, org in (
        readable(Participation, user)
        .filter(activity_id__in=exchanges, role__in=(Role.SENDING, Role.RECEIVING))
        .values_list("activity_id", "role", "organization_id")
    ):
        (sending if role == Role.SENDING else receiving)[activity].add(org)
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
