"""Exchanges counted: people and person-months by year × category × direction × partner
country, as Erasmus+ reports mobilities.

One function, :func:`exchange_figures`, shared by the back office's figures page (its
table, CSV and XLSX) and the API (``/api/exchanges/figures``); it reads only what the
user reads (``restrict(user, "view")`` on the exchanges and on their participations, so
a partner the user may not read gives no country).

How an exchange is counted, and what stays unknown:

- its *people* are its headcount when one is given, else the people named in it
  (participations of persons); with neither, its people are unknown and it is counted
  among the exchanges whose people are not recorded, never as one person;
- its *person-months* are its people × its duration in months: the duration field, or,
  when both dates are known to the day, the days between them / 30.4375 (an average
  month); otherwise unknown, and counted apart;
- its *partner country* is that of its host organization for an outgoing exchange
  (role receiving), of its home organization for an incoming one (role sending), and of
  either of them outside the region when no direction is recorded; "" when unknown;
- its *year* is the year it starts; cancelled exchanges are left out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from passerelle.core.dates import PartialDate, Precision
from passerelle.core.users import AnyUser

from .vocabulary import Direction, ExchangeStatus, Kind, Role

#: Days in an average month, for durations read from dates.
MONTH_DAYS = Decimal("30.4375")
#: The columns of the figures, in the order of the table, the CSV and the XLSX.
COLUMNS = (
    "year",
    "category",
    "direction",
    "country",
    "exchanges",
    "people",
    "person_months",
    "people_unknown",
    "months_unknown",
)


@dataclass(frozen=True)
class FigureFilters:
    year: int | None = None
    category: str = ""
    direction: str = ""
    country: str = ""


@dataclass
class FigureRow:
    year: int | None
    category: str
    direction: str
    country: str
    exchanges: int = 0
    people: int = 0
    person_months: Decimal = Decimal(0)
    people_unknown: int = 0
    months_unknown: int = 0
    activities: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The row as JSON and spreadsheets hold it: person-months as an unlocalized number."""
        values = {name: getattr(self, name) for name in COLUMNS}
        values["person_months"] = float(round(self.person_months, 1))
        return values


def _year(text: str) -> int | None:
    return int(text[:4]) if text and text[:4].isdigit() else None


def _day(text: str) -> datetime.date | None:
    if not text:
        return None
    date = PartialDate.parse(text)
    return date.first_day if date.precision == Precision.DAY else None


def months_of(exchange) -> Decimal | None:
    """How long each person of the exchange stays, in months, or None when unknown."""
    if exchange.duration_months is not None:
        return exchange.duration_months
    start, end = _day(exchange.start), _day(exchange.end)
    if start and end and end >= start:
        return Decimal((end - start).days) / MONTH_DAYS
    return None


def people_of(exchange, participations: list) -> int | None:
    """The headcount, else the people named, else None (unknown)."""
    if exchange.headcount is not None:
        return exchange.headcount
    named = {p.person_id for p in participations if p.person_id}
    return len(named) or None


def partner_country(exchange, participations: list) -> str:
    """The partner's country per the exchange's direction (see the module docstring)."""
    if exchange.direction == Direction.OUTGOING:
        roles = {Role.RECEIVING}
    elif exchange.direction == Direction.INCOMING:
        roles = {Role.SENDING}
    else:
        roles = {Role.SENDING, Role.RECEIVING}
    for participation in participations:
        organization = participation.organization
        if participation.role not in roles or organization is None or organization.place is None:
            continue
        if not exchange.direction and organization.in_region:
            continue
        return organization.place.country.code
    return ""


def exchange_figures(user: AnyUser, filters: FigureFilters | None = None) -> list[FigureRow]:
    """The figures of the exchanges ``user`` reads, one row per year, category, direction
    and partner country, in that order (unknown years last)."""
    from .models import Activity, Participation  # the models import this package's modules

    filters = filters or FigureFilters()
    exchanges = (
        Activity.objects.restrict(user, "view")
        .filter(kind=Kind.EXCHANGE)
        .exclude(exchange_status=ExchangeStatus.CANCELLED)
        .only(
            "pk", "start", "end", "direction", "exchange_category", "headcount", "duration_months"
        )
        .prefetch_related(
            Prefetch(
                "participations",
                Participation.objects.restrict(user, "view")
                .filter(role__in=(Role.SENDING, Role.RECEIVING, Role.PARTICIPANT))
                .select_related("organization__place")
                .only(
                    "activity_id",
                    "role",
                    "person_id",
                    "organization__in_region",
                    "organization__place__country",
                ),
            )
        )
    )
    if filters.category:
        exchanges = exchanges.filter(exchange_category=filters.category)
    if filters.direction:
        exchanges = exchanges.filter(direction=filters.direction)
    if filters.year:
        exchanges = exchanges.filter(start__startswith=str(filters.year))
    rows: dict[tuple, FigureRow] = {}
    for exchange in exchanges.order_by("pk"):
        participations = list(exchange.participations.all())
        country = partner_country(exchange, participations)
        if filters.country and country != filters.country.upper():
            continue
        key = (_year(exchange.start), exchange.exchange_category, exchange.direction, country)
        row = rows.get(key) or rows.setdefault(key, FigureRow(*key))
        row.exchanges += 1
        row.activities.append(exchange.pk)
        people, months = people_of(exchange, participations), months_of(exchange)
        if people is None:
            row.people_unknown += 1
            continue
        row.people += people
        if months is None:
            row.months_unknown += 1
        else:
            row.person_months += people * months
    return sorted(
        rows.values(),
        key=lambda r: (r.year is None, r.year or 0, r.category, r.direction, r.country),
    )


def totals(rows: list[FigureRow]) -> FigureRow:
    """The sum of the rows (the table's last line)."""
    total = FigureRow(None, "", "", "")
    for row in rows:
        for name in ("exchanges", "people", "person_months", "people_unknown", "months_unknown"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def by_country_totals(rows: list[FigureRow]) -> dict[str, int]:
    """People by partner country, for a sentence or a chart."""
    people: dict[str, int] = defaultdict(int)
    for row in rows:
        people[row.country] += row.people
    return dict(people)
