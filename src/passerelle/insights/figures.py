"""The desk of figures: what funders ask every year, counted from the records.

Every figure is a :class:`Table` (named columns, rows of plain values: codes, years,
integers, decimals), which the back office's and the portal's pages, their CSV files,
the charts and the annual report all read; a figure is never computed twice in two
places. Each function takes a reader (a user, or None for the public: public records
only) and :class:`Filters`, and reads through ``restrict(reader, "view")``, so that a
confidential record, or a confidential tie of a public one, is never counted for
someone who may not read it. The counting is done by the database (grouped
aggregates); Python only turns the aggregate rows into tables, or judges what the
activities' own services judge (agreements' status from their dates, commitments'
verdicts, exchanges' people and person-months).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from passerelle.activities.agreements import effective_status
from passerelle.activities.commitments import VERDICTS, check
from passerelle.activities.exchanges import FigureFilters, exchange_figures
from passerelle.activities.models import Activity, FollowUp, Participation
from passerelle.activities.vocabulary import Category, FollowUpStatus, Kind, Role
from passerelle.core.models import Citation
from passerelle.core.users import AnyUser

from .figure_tables import (
    Filters,
    Table,
    activities,
    by_year,
    choice_label,
    country_name,
    of_kind,
    reader_of,
    running,
    year_label,
    year_of,
)
from .partner_figures import collaboration_by_year, partners_by_year


def activities_by_year(user: AnyUser | None, filters: Filters) -> Table:
    rows: dict[int | None, Counter] = defaultdict(Counter)
    counted = (
        by_year(activities(user, filters)).values("year", "kind").annotate(n=Count("pk"))
    ).order_by()
    for entry in counted:
        rows[year_of(entry["year"])][entry["kind"]] += entry["n"]
    kinds = [k for k in Kind.values if any(c[k] for c in rows.values())]
    years = sorted(rows, key=lambda y: (y is None, y or 0))
    return Table(
        "activities",
        str(_("Activities per year, by kind")),
        ["year", *kinds, "total"],
        [str(_("Year")), *(str(capfirst(Kind(k).label)) for k in kinds), str(_("Total"))],
        [[y, *(rows[y][k] for k in kinds), sum(rows[y].values())] for y in years],
        str(_("By the year the activity starts.")),
        {"year": year_label},
    )


def agreements_by_state(user: AnyUser | None, filters: Filters, today=None) -> Table:
    """Agreements in the period by the state their dates make on ``today``
    (activities.agreements.effective_status), grouped by the database on the few fields
    that decide it. An agreement is in the period when its term overlaps it, not only
    when it starts in it: a funder asks which agreements ran that year."""
    today = today or datetime.date.today()
    found = running(activities(user, of_kind(filters, Kind.AGREEMENT), period=False), filters)
    groups = (
        found.values("status", "start", "end", "renews_automatically")
        .annotate(n=Count("pk"))
        .order_by()
    )
    states: Counter = Counter()
    for group in groups:
        n = group.pop("n")
        states[effective_status(_Dates(**group), today)] += n
    from passerelle.activities.vocabulary import AgreementStatus

    return Table(
        "agreements",
        str(_("Agreements by state")),
        ["state", "agreements"],
        [str(_("State")), str(_("Agreements"))],
        [[s, states[s]] for s in AgreementStatus.values if states[s]],
        str(
            _("Agreements whose term overlaps the period, in the state the dates make on %(day)s.")
            % {"day": formats.date_format(today, "SHORT_DATE_FORMAT")}
        ),
        {"state": choice_label(AgreementStatus.choices)},
    )


@dataclass
class _Dates:
    """What effective_status reads of an agreement, from one aggregate row."""

    status: str
    start: str
    end: str
    renews_automatically: bool


def commitments_by_verdict(user: AnyUser | None, filters: Filters, today=None) -> Table:
    """The commitment checker's verdicts (activities.commitments.check), counted."""
    from passerelle.activities.commitments import VERDICT_LABELS

    agreements = running(activities(user, of_kind(filters, Kind.AGREEMENT), period=False), filters)
    verdicts = Counter(
        c.status for c in check(reader_of(user), agreements.order_by("pk"), today=today)
    )
    return Table(
        "commitments",
        str(_("Commitments by verdict")),
        ["verdict", "commitments"],
        [str(_("Verdict")), str(_("Commitments"))],
        [[v, verdicts[v]] for v in VERDICTS if verdicts[v]],
        str(_("Each key area of the agreements, judged against the activities recorded.")),
        {"verdict": lambda v: str(VERDICT_LABELS.get(v, v))},
    )


def events_by_year(user: AnyUser | None, filters: Filters) -> Table:
    events = activities(user, of_kind(filters, Kind.EVENT))
    counted = (
        by_year(events.exclude(category=Category.EVENT_SERIES))
        .values("year")
        .annotate(
            events=Count("pk"),
            editions=Count("pk", filter=Q(edition__isnull=False)),
        )
        .order_by()
    )
    rows = sorted(
        ([year_of(e["year"]), e["events"], e["editions"]] for e in counted),
        key=lambda r: (r[0] is None, r[0] or 0),
    )
    return Table(
        "events",
        str(_("Events held, and editions of a series")),
        ["year", "events", "editions"],
        [str(_("Year")), str(_("Events")), str(_("Editions of a series"))],
        _merge_years(rows),
        str(_("Series themselves are not counted; an edition is an event with its number.")),
        {"year": year_label},
    )


def _merge_years(rows: list[list]) -> list[list]:
    """Rows whose years read the same (an empty start and a malformed one) added up."""
    merged: dict = {}
    for row in rows:
        if row[0] in merged:
            merged[row[0]] = [
                row[0],
                *(a + b for a, b in zip(merged[row[0]][1:], row[1:], strict=True)),
            ]
        else:
            merged[row[0]] = row
    return list(merged.values())


def delegations_by_year(user: AnyUser | None, filters: Filters) -> Table:
    """Delegations in and out by year, and the follow-up actions closed that year."""
    delegations = activities(user, of_kind(filters, Kind.DELEGATION))
    counted = (
        by_year(delegations)
        .values("year")
        .annotate(
            incoming=Count("pk", filter=Q(direction="incoming")),
            outgoing=Count("pk", filter=Q(direction="outgoing")),
            unknown=Count("pk", filter=Q(direction="")),
        )
        .order_by()
    )
    rows: dict = {}
    for entry in counted:
        year = year_of(entry["year"])
        old = rows.get(year, [year, 0, 0, 0, 0])
        rows[year] = [
            year,
            old[1] + entry["incoming"],
            old[2] + entry["outgoing"],
            old[3] + entry["unknown"],
            0,
        ]
    closed = (
        FollowUp.objects.restrict(reader_of(user), "view")
        .filter(
            status=FollowUpStatus.DONE,
            closed_on__isnull=False,
            delegation__in=activities(user, of_kind(filters, Kind.DELEGATION), period=False),
        )
        .values("closed_on__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for entry in closed:
        year = entry["closed_on__year"]
        if not filters.within(year):
            continue
        rows.setdefault(year, [year, 0, 0, 0, 0])[4] += entry["n"]
    return Table(
        "delegations",
        str(_("Delegations in and out, and follow-up actions closed")),
        ["year", "incoming", "outgoing", "direction_unknown", "follow_ups_closed"],
        [
            str(_("Year")),
            str(_("Incoming")),
            str(_("Outgoing")),
            str(_("Direction not recorded")),
            str(_("Follow-up actions closed")),
        ],
        sorted(rows.values(), key=lambda r: (r[0] is None, r[0] or 0)),
        str(_("Delegations by the year they start; actions by the day they were closed.")),
        {"year": year_label},
    )


def exchanges(user: AnyUser | None, filters: Filters) -> Table:
    """activities.exchanges' figures (people and person-months), in the period."""
    from passerelle.activities.vocabulary import Direction, ExchangeCategory

    found = []
    if filters.kind in ("", Kind.EXCHANGE):
        one_year = filters.first_year if filters.first_year == filters.last_year else None
        found = exchange_figures(
            reader_of(user), FigureFilters(year=one_year, country=filters.country)
        )
    rows = [
        [
            r.year,
            r.category,
            r.direction,
            r.country,
            r.exchanges,
            r.people,
            round(r.person_months, 1),
            r.people_unknown,
            r.months_unknown,
        ]
        for r in found
        if filters.within(r.year)
    ]
    return Table(
        "exchanges",
        str(_("Exchanges by category, direction, year and country")),
        [
            "year",
            "category",
            "direction",
            "country",
            "exchanges",
            "people",
            "person_months",
            "people_unknown",
            "months_unknown",
        ],
        [
            str(_("Year")),
            str(_("Category")),
            str(_("Direction")),
            str(_("Partner country")),
            str(_("Exchanges")),
            str(_("People")),
            str(_("Person-months")),
            str(_("People not recorded")),
            str(_("Duration not recorded")),
        ],
        rows,
        str(
            _(
                "People: the headcount, else the people named; person-months: people × "
                "months. Cancelled exchanges are left out; unknowns are counted apart. The "
                "country is the partner's; this table is not filtered by regional member."
            )
        ),
        {
            "year": year_label,
            "category": choice_label(ExchangeCategory.choices),
            "direction": choice_label(Direction.choices),
            "country": country_name,
        },
    )


def funding(user: AnyUser | None, filters: Filters) -> Table:
    """Funding by funder and currency: an activity with two funders counts under each."""
    reader = reader_of(user)
    funded = activities(user, filters).filter(funding_amount__isnull=False)
    funders = (
        Participation.objects.restrict(reader, "view")
        .filter(activity__in=funded, role=Role.FUNDER, organization__isnull=False)
        .values("organization__name", "activity__funding_currency")
        .annotate(
            activities=Count("activity", distinct=True), amount=Sum("activity__funding_amount")
        )
        .order_by("organization__name", "activity__funding_currency")
    )
    rows = [
        [f["organization__name"], f["activity__funding_currency"], f["activities"], f["amount"]]
        for f in funders
    ]
    with_funder = Participation.objects.restrict(reader, "view").filter(
        activity=OuterRef("pk"), role=Role.FUNDER, organization__isnull=False
    )
    unnamed = (
        funded.exclude(Exists(with_funder))
        .values("funding_currency")
        .annotate(activities=Count("pk"), amount=Sum("funding_amount"))
        .order_by("funding_currency")
    )
    rows += [["", u["funding_currency"], u["activities"], u["amount"]] for u in unnamed]
    return Table(
        "funding",
        str(_("Funding by funder and currency")),
        ["funder", "currency", "activities", "amount"],
        [str(_("Funder")), str(_("Currency")), str(_("Activities")), str(_("Amount"))],
        rows,
        str(_("The amount of an activity with two funders is counted under each of them.")),
        {"funder": lambda v: v or str(_("funder not recorded"))},
    )


def sourced_share(user: AnyUser | None, filters: Filters) -> Table:
    """The share of activities with at least one source cited, on the activity itself or
    on one of its participations (citations the reader reads, of sources they read)."""
    reader = reader_of(user)
    citations = Citation.objects.restrict(reader, "view")
    own = citations.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id=OuterRef("pk")
    )
    ties = citations.filter(
        content_type=ContentType.objects.get_for_model(Participation),
        object_id__in=Participation.objects.filter(activity=OuterRef(OuterRef("pk"))).values("pk"),
    )
    counted = (
        by_year(activities(user, filters))
        .annotate(cited=Exists(own) | Exists(ties))
        .values("year")
        .annotate(total=Count("pk"), sourced=Count("pk", filter=Q(cited=True)))
        .order_by()
    )
    rows = _merge_years(
        sorted(
            ([year_of(e["year"]), e["total"], e["sourced"]] for e in counted),
            key=lambda r: (r[0] is None, r[0] or 0),
        )
    )
    for row in rows:
        row.append(round(Decimal(100 * row[2]) / row[1], 1) if row[1] else Decimal(0))
    return Table(
        "sources",
        str(_("Activities with at least one cited source")),
        ["year", "activities", "sourced", "percent"],
        [str(_("Year")), str(_("Activities")), str(_("With a cited source")), str(_("Share (%)"))],
        rows,
        str(_("A source cited on the activity or on one of its participations.")),
        {"year": year_label},
    )


#: Every figure, in the order the pages and the report show them.
FIGURES: dict[str, Callable[[AnyUser | None, Filters], Table]] = {
    "activities": activities_by_year,
    "agreements": agreements_by_state,
    "commitments": commitments_by_verdict,
    "events": events_by_year,
    "delegations": delegations_by_year,
    "exchanges": exchanges,
    "funding": funding,
    "partners": partners_by_year,
    "collaboration": collaboration_by_year,
    "sources": sourced_share,
}


def figure(key: str, user: AnyUser | None, filters: Filters) -> Table:
    """One figure by its key (KeyError for an unknown one: the pages answer 404)."""
    return FIGURES[key](user, filters)


def all_figures(user: AnyUser | None, filters: Filters) -> list[Table]:
    return [compute(user, filters) for compute in FIGURES.values()]
