"""How the network grew, year by year: partners new, lasting and lost, countries reached,
and the collaboration type of each year's activities.

A *partner* of a year is an organization outside the region that took part, that year,
in an activity with at least one actor of the region. It is *new* the first year it is
one, *lasting* when it was one the year before too, and *lost* the year after its last
such year (counted in the year it is missing). Countries reached are the partners'
countries other than the region's own. An activity's year is its start year here (the
year it was begun, signed or held): growth counts what began.

Collaboration types, as SciVal and InCites count them, from the countries of an
activity's organizations (people aside): *regional only* (every organization in the
region), *national* (one country, not all in the region), *international bilateral*
(two countries), *trilateral* (three), *four countries or more*. An activity with no
organization of known country has no type.
"""

from __future__ import annotations

import numpy as np

from .graph import ORGANIZATION, Network

COLLABORATION_TYPES = ("regional", "national", "bilateral", "trilateral", "four_or_more")


def collaboration_types(network: Network) -> np.ndarray:
    """Activity index → its collaboration type's index in COLLABORATION_TYPES, or -1."""
    actors = network.actors
    is_org = np.array([a.kind == ORGANIZATION for a in actors], dtype=bool)
    codes: dict[str, int] = {}
    country = np.array(
        [codes.setdefault(a.country, len(codes)) if a.country else -1 for a in actors]
    )
    regional = np.array([a.in_region for a in actors], dtype=bool)
    kept = is_org[network.actor_of]
    activity, actor = network.activity_of[kept], network.actor_of[kept]
    known = country[actor] >= 0
    count = len(network.activity_ids)
    width = max(len(codes), 1)
    pairs = np.unique(activity[known] * width + country[actor[known]])
    countries = np.bincount(pairs // width, minlength=count)
    outside = np.bincount(activity[~regional[actor]], minlength=count)
    has_org = np.bincount(activity, minlength=count) > 0
    return np.select(
        [
            has_org & (outside == 0),
            countries == 0,
            countries == 1,
            countries == 2,
            countries == 3,
        ],
        [0, -1, 1, 2, 3],
        default=4,
    )


def growth(network: Network) -> list[dict]:
    """One row per year from the first dated activity to the last."""
    years = network.first_year
    dated = years > 0
    if not dated.any():
        return []
    actors = network.actors
    regional = np.array([a.in_region for a in actors], dtype=bool)
    partner_kind = np.array(
        [a.kind == ORGANIZATION and not a.in_region for a in actors], dtype=bool
    )
    with_region = np.zeros(len(network.activity_ids), dtype=bool)
    with_region[network.activity_of[regional[network.actor_of]]] = True
    types = collaboration_types(network)
    activity_year = years[network.activity_of]
    first, last = int(years[dated].min()), int(years[dated].max())
    rows, before, seen = [], set(), set()
    seen_countries: set[str] = set()
    for year in range(first, last + 1):
        of_year = activity_year == year
        taking_part = network.actor_of[of_year]
        partner_rows = of_year & with_region[network.activity_of] & partner_kind[network.actor_of]
        partners = set(np.unique(network.actor_of[partner_rows]).tolist())
        countries = {actors[p].country for p in partners if actors[p].country}
        countries.discard(network.home_country)
        year_types = types[(years == year) & (types >= 0)]
        by_type = np.bincount(year_types, minlength=len(COLLABORATION_TYPES))
        rows.append(
            {
                "year": year,
                "activities": int(np.count_nonzero(years == year)),
                "actors": int(np.unique(taking_part).size),
                "partners": len(partners),
                "new_partners": len(partners - seen),
                "lasting_partners": len(partners & before),
                "lost_partners": len(before - partners),
                "countries": len(countries),
                "new_countries": len(countries - seen_countries),
                "collaboration": {
                    name: int(n) for name, n in zip(COLLABORATION_TYPES, by_type, strict=True)
                },
            }
        )
        seen |= partners
        seen_countries |= countries
        before = partners
    return rows
