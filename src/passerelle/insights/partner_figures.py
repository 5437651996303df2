"""The figures of the network abroad: new, lasting and lost partners and the countries
reached per year, and each activity's collaboration type (regional only, national,
bilateral, trilateral, four countries or more), as SciVal and InCites count them. Read
through the same filters and rule as every figure (``figure_tables``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from passerelle.activities.models import Participation
from passerelle.core.users import AnyUser
from passerelle.registry.models import Organization

from .figure_tables import Filters, Table, activities, by_year, reader_of, year_label, year_of

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
        by_year(
            Participation.objects.restrict(reader_of(user), "view").filter(
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
        year = year_of(text)
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
    reader = reader_of(user)
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
    years = dict(by_year(activities(user, filters)).values_list("pk", "year"))
    counts: dict = defaultdict(Counter)
    for pk, text in years.items():
        counts[year_of(text)][types.get(pk, "not_recorded")] += 1
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
        {"year": year_label},
    )
