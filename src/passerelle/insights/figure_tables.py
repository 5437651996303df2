"""What every figure is made of: the filters a page, a CSV or a report asks for, the
:class:`Table` every figure is, and the reads they share (the activities a reader reads
within the filters). The figures themselves are in ``figures`` (activities, agreements,
exchanges, funding…) and ``partner_figures`` (partners and collaboration types).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import Kind
from passerelle.core.users import AnyUser


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


def reader_of(user: AnyUser | None) -> AnyUser:
    return user if user is not None else AnonymousUser()


def year_of(text: str | None) -> int | None:
    return int(text[:4]) if text and text[:4].isdigit() else None


def year_label(value) -> str:
    return str(value) if value else str(_("not recorded"))


def choice_label(choices) -> Callable[[object], str]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or "—"))


def country_name(code) -> str:
    from django_countries import countries

    return str(countries.name(code)) if code else str(_("not recorded"))


def activities(user: AnyUser | None, filters: Filters, *, period: bool = True) -> QuerySet:
    """The activities the reader reads, as the filters restrict them."""
    reader = reader_of(user)
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


def of_kind(filters: Filters, kind: str) -> Filters:
    """The filters for one kind's figure: that kind, or none at all when the filters ask
    for another kind (an agreements table filtered on events is empty, not all agreements)."""
    return replace(filters, kind=kind if filters.kind in ("", kind) else "-")


def by_year(queryset: QuerySet, field_name: str = "start") -> QuerySet:
    return queryset.annotate(year=Substr(field_name, 1, 4))


# ----------------------------------------------------------------------------- the figures
