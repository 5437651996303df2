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

import csv
import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
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
from passerelle.registry.models import Organization

#: The collaboration types, as SciVal and InCites count them, and "not recorded".
COLLABORATION_TYPES = (
    "regional",
    "national",
    "bilateral",
    "trilateral",
    "four_or_more",
    "not_recorded",
)
COLLABORATION_LABELS = {
    "regional": _("regional only"),
    "national": _("national"),
    "bilateral": _("international, bilateral"),
    "trilateral": _("international, trilateral"),
    "four_or_more": _("international, four countries or more"),
    "not_recorded": _("countries not recorded"),
}


@dataclass(frozen=True)
class Filters:
    """What a figures page, a CSV or a report is restricted to.

    ``first_year``/``last_year``: the activities that start in those years (either may
    be open); ``kind``: one kind of activity; ``country``: activities with a partner
    organization in that country (ISO code); ``member``: activities a regional member
    (an organization of the region, by primary key) takes part in.
    """

    first_year: int | None = None
    last_year: int | None = None
    kind: str = ""
    country: str = ""
    member: int | None = None

    @classmethod
    def from_query(cls, query) -> Filters:
        """Filters from a query string; what is not understood is left out, never a 500."""

        def year(name: str) -> int | None:
            value = (query.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) == 4 else None

        kind = query.get("kind") or ""
        country = (query.get("country") or "")[:2]
        member = (query.get("member") or "").strip()
        return cls(
            first_year=year("since"),
            last_year=year("until"),
            kind=kind if kind in Kind.values else "",
            country=country.upper() if country.isalpha() and len(country) == 2 else "",
            member=int(member) if member.isdigit() else None,
        )

    def as_query(self) -> dict[str, str]:
        """The filters back as a query string's values (empty ones left out)."""
        values = {
            "since": self.first_year,
            "until": self.last_year,
            "kind": self.kind,
            "country": self.country,
            "member": self.member,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def years(self) -> tuple[int | None, int | None]:
        return self.first_year, self.last_year

    def within(self, year: int | None) -> bool:
        """Whether a year is in the period (an unknown year is in an open period only)."""
        if year is None:
            return self.first_year is None and self.last_year is None
        if self.first_year is not None and year < self.first_year:
            return False
        return not (self.last_year is not None and year > self.last_year)


@dataclass
class Table:
    """One figure: a title, named columns and rows of plain values.

    ``labels`` maps a column to the labels of its codes (kinds, verdicts, countries are
    stored as codes, shown in the reader's language); ``note`` says how it is counted.
    """

    key: str
    title: str
    columns: list[str]
    headers: list[str]
    rows: list[list]
    note: str = ""
    labels: dict[str, Callable[[object], str]] = field(default_factory=dict)

    def shown(self) -> list[list]:
        """The rows with codes replaced by their labels, for pages and reports."""
        shown = []
        for row in self.rows:
            shown.append(
                [
                    self.labels[c](v) if c in self.labels else v
                    for c, v in zip(self.columns, row, strict=True)
                ]
            )
        return shown

    def as_csv(self) -> str:
        """The table as CSV: the columns' names, then the rows, codes and numbers as they
        are stored (never in a locale's format), unknown values as empty cells."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if v is None else v for v in row])
        return out.getvalue()

    def column(self, name: str) -> list:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def total(self, name: str):
        return sum((v or 0) for v in self.column(name))


def _reader(user: AnyUser | None) -> AnyUser:
    return user if user is not None else AnonymousUser()


def _year(text: str | None) -> int | None:
    return int(text[:4]) if text and text[:4].isdigit() else None


def _year_label(value) -> str:
    return str(value) if value else str(_("not recorded"))


def _choice(choices) -> Callable[[object], str]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or "—"))


def _country_name(code) -> str:
    from django_countries import countries

    return str(countries.name(code)) if code else str(_("not recorded"))


def activities(user: AnyUser | None, filters: Filters, *, period: bool = True) -> QuerySet:
    """The activities the reader reads, as the filters restrict them."""
    reader = _reader(user)
    found = Activity.objects.restrict(reader, "view")
    if period and filters.first_year is not None:
        found = found.filter(start__gte=str(filters.first_year))
    if period and filters.last_year is not None:
        found = found.filter(start__lt=str(filters.last_year + 1)).exclude(start="")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    ties = Participation.objects.restrict(reader, "view").filter(activity=OuterRef("pk"))
    if filters.country:
        found = found.filter(
            Exists(ties.filter(organization__place__country=filters.country.upper()))
        )
    if filters.member is not None:
        found = found.filter(
            Exists(ties.filter(organization_id=filters.member, organization__in_region=True))
        )
    return found


def running(found: QuerySet, filters: Filters) -> QuerySet:
    """The activities whose term overlaps the period (agreements run over years)."""
    if filters.last_year is not None:
        found = found.filter(start__lt=str(filters.last_year + 1))
    if filters.first_year is not None:
        found = found.filter(Q(end="") | Q(end__gte=str(filters.first_year)))
    return found


def _of_kind(filters: Filters, kind: str) -> Filters:
    """The filters for one kind's figure: that kind, or none at all when the filters ask
    for another kind (an agreements table filtered on events is empty, not all agreements)."""
    return replace(filters, kind=kind if filters.kind in ("", kind) else "-")


def _by_year(queryset: QuerySet, field_name: str = "start") -> QuerySet:
    return queryset.annotate(year=Substr(field_name, 1, 4))


# ----------------------------------------------------------------------------- the figures


def activities_by_year(user: AnyUser | None, filters: Filters) -> Table:
    rows: dict[int | None, Counter] = defaultdict(Counter)
    counted = (
        _by_year(activities(user, filters)).values("year", "kind").annotate(n=Count("pk"))
    ).order_by()
    for entry in counted:
        rows[_year(entry["year"])][entry["kind"]] += entry["n"]
    kinds = [k for k in Kind.values if any(c[k] for c in rows.values())]
    years = sorted(rows, key=lambda y: (y is None, y or 0))
    return Table(
        "activities",
        str(_("Activities per year, by kind")),
        ["year", *kinds, "total"],
        [str(_("Year")), *(str(capfirst(Kind(k).label)) for k in kinds), str(_("Total"))],
        [[y, *(rows[y][k] for k in kinds), sum(rows[y].values())] for y in years],
        str(_("By the year the activity starts.")),
        {"year": _year_label},
    )


def agreements_by_state(user: AnyUser | None, filters: Filters, today=None) -> Table:
    """Agreements in the period by the state their dates make on ``today``
    (activities.agreements.effective_status), grouped by the database on the few fields
    that decide it. An agreement is in the period when its term overlaps it, not only
    when it starts in it: a funder asks which agreements ran that year."""
    today = today or datetime.date.today()
    found = running(activities(user, _of_kind(filters, Kind.AGREEMENT), period=False), filters)
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
        {"state": _choice(AgreementStatus.choices)},
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

    agreements = running(activities(user, _of_kind(filters, Kind.AGREEMENT), period=False), filters)
    verdicts = Counter(
        c.status for c in check(_reader(user), agreements.order_by("pk"), today=today)
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
    events = activities(user, _of_kind(filters, Kind.EVENT))
    counted = (
        _by_year(events.exclude(category=Category.EVENT_SERIES))
        .values("year")
        .annotate(
            events=Count("pk"),
            editions=Count("pk", filter=Q(edition__isnull=False)),
        )
        .order_by()
    )
    rows = sorted(
        ([_year(e["year"]), e["events"], e["editions"]] for e in counted),
        key=lambda r: (r[0] is None, r[0] or 0),
    )
    return Table(
        "events",
        str(_("Events held, and editions of a series")),
        ["year", "events", "editions"],
        [str(_("Year")), str(_("Events")), str(_("Editions of a series"))],
        _merge_years(rows),
        str(_("Series themselves are not counted; an edition is an event with its number.")),
        {"year": _year_label},
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
    delegations = activities(user, _of_kind(filters, Kind.DELEGATION))
    counted = (
        _by_year(delegations)
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
        year = _year(entry["year"])
        old = rows.get(year, [year, 0, 0, 0, 0])
        rows[year] = [
            year,
            old[1] + entry["incoming"],
            old[2] + entry["outgoing"],
            old[3] + entry["unknown"],
            0,
        ]
    closed = (
        FollowUp.objects.restrict(_reader(user), "view")
        .filter(
            status=FollowUpStatus.DONE,
            closed_on__isnull=False,
            delegation__in=activities(user, _of_kind(filters, Kind.DELEGATION), period=False),
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
        {"year": _year_label},
    )


def exchanges(user: AnyUser | None, filters: Filters) -> Table:
    """activities.exchanges' figures (people and person-months), in the period."""
    from passerelle.activities.vocabulary import Direction, ExchangeCategory

    found = []
    if filters.kind in ("", Kind.EXCHANGE):
        one_year = filters.first_year if filters.first_year == filters.last_year else None
        found = exchange_figures(
            _reader(user), FigureFilters(year=one_year, country=filters.country)
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
            "year": _year_label,
            "category": _choice(ExchangeCategory.choices),
            "direction": _choice(Direction.choices),
            "country": _country_name,
        },
    )


def funding(user: AnyUser | None, filters: Filters) -> Table:
    """Funding by funder and currency: an activity with two funders counts under each."""
    reader = _reader(user)
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


def _home_countries() -> set[str]:
    """The countries of the region's own organizations (France, for CLARA)."""
    return set(
        Organization.objects.filter(in_region=True, place__isnull=False)
        .values_list("place__country", flat=True)
        .distinct()
    ) or {"FR"}


def partners_by_year(user: AnyUser | None, filters: Filters) -> Table:
    """New, lasting and lost partners, and the countries reached, per year.

    A partner is an organization outside the region taking part in an activity that
    starts that year. New: not a partner in an earlier year; lasting: a partner this
    year and an earlier one; lost: a partner the year before and not this year. The
    whole history is read so that the first year of a period is not all "new".
    """
    home = _home_countries()
    pairs = (
        _by_year(
            Participation.objects.restrict(_reader(user), "view").filter(
                activity__in=activities(user, filters, period=False),
                organization__isnull=False,
                organization__in_region=False,
            ),
            "activity__start",
        )
        .exclude(year="")
        .values_list("organization_id", "organization__place__country", "year")
        .distinct()
    )
    partners: dict[int, set[int]] = defaultdict(set)
    countries: dict[int, set[str]] = defaultdict(set)
    for organization, country, text in pairs:
        year = _year(text)
        if year is None:
            continue
        partners[year].add(organization)
        if country and country not in home:
            countries[year].add(country)
    rows = []
    seen: set[int] = set()
    reached: set[str] = set()
    previous: set[int] = set()
    for year in range(min(partners, default=0), max(partners, default=-1) + 1):
        now = partners.get(year, set())
        row = [
            year,
            len(now),
            len(now - seen),
            len(now & seen),
            len(previous - now),
            len(countries.get(year, ())),
            len(countries.get(year, set()) - reached),
        ]
        seen |= now
        reached |= countries.get(year, set())
        previous = now
        if filters.within(year):
            rows.append(row)
    return Table(
        "partners",
        str(_("Partners and countries reached per year")),
        ["year", "partners", "new", "lasting", "lost", "countries", "new_countries"],
        [
            str(_("Year")),
            str(_("Partners")),
            str(_("New partners")),
            str(_("Lasting partners")),
            str(_("Partners lost")),
            str(_("Countries reached")),
            str(_("New countries")),
        ],
        rows,
        str(
            _(
                "Partners are organizations outside the region; countries are those abroad. "
                "Lost: a partner the year before, not this year."
            )
        ),
    )


def collaboration_types(user: AnyUser | None, filters: Filters) -> dict[int, str]:
    """Each activity's collaboration type, by its primary key (see COLLABORATION_TYPES).

    Regional only: every organization taking part is of the region; national: one
    country, some organization from outside the region; then by the number of countries
    of the organizations: two (bilateral), three (trilateral), four or more. An activity
    no organization with a known country takes part in is "not recorded".
    """
    reader = _reader(user)
    found = activities(user, filters)
    counted = (
        Participation.objects.restrict(reader, "view")
        .filter(activity__in=found, organization__isnull=False)
        .values("activity_id")
        .annotate(
            countries=Count("organization__place__country", distinct=True),
            outside=Count("pk", filter=Q(organization__in_region=False)),
        )
        .order_by()
    )
    types = {}
    for entry in counted:
        types[entry["activity_id"]] = _collaboration(entry["countries"], entry["outside"])
    return types


def _collaboration(countries: int, outside: int) -> str:
    if countries == 0 and outside:
        return "not_recorded"
    if not outside:
        return "regional"
    if countries <= 1:
        return "national"
    if countries == 2:
        return "bilateral"
    if countries == 3:
        return "trilateral"
    return "four_or_more"


def collaboration_by_year(user: AnyUser | None, filters: Filters) -> Table:
    types = collaboration_types(user, filters)
    years = dict(_by_year(activities(user, filters)).values_list("pk", "year"))
    counts: dict = defaultdict(Counter)
    for pk, text in years.items():
        counts[_year(text)][types.get(pk, "not_recorded")] += 1
    order = sorted(counts, key=lambda y: (y is None, y or 0))
    return Table(
        "collaboration",
        str(_("Activities by collaboration type")),
        ["year", *COLLABORATION_TYPES],
        [str(_("Year")), *(str(capfirst(COLLABORATION_LABELS[t])) for t in COLLABORATION_TYPES)],
        [[y, *(counts[y][t] for t in COLLABORATION_TYPES)] for y in order],
        str(
            _(
                "By the countries of the organizations taking part: the region alone, France, "
                "then two, three, four countries or more."
            )
        ),
        {"year": _year_label},
    )


def sourced_share(user: AnyUser | None, filters: Filters) -> Table:
    """The share of activities with at least one source cited, on the activity itself or
    on one of its participations (citations the reader reads, of sources they read)."""
    reader = _reader(user)
    citations = Citation.objects.restrict(reader, "view")
    own = citations.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id=OuterRef("pk")
    )
    ties = citations.filter(
        content_type=ContentType.objects.get_for_model(Participation),
        object_id__in=Participation.objects.filter(activity=OuterRef(OuterRef("pk"))).values("pk"),
    )
    counted = (
        _by_year(activities(user, filters))
        .annotate(cited=Exists(own) | Exists(ties))
        .values("year")
        .annotate(total=Count("pk"), sourced=Count("pk", filter=Q(cited=True)))
        .order_by()
    )
    rows = _merge_years(
        sorted(
            ([_year(e["year"]), e["total"], e["sourced"]] for e in counted),
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
        {"year": _year_label},
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
