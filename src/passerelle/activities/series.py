"""Series of events and their editions: an edition number once per series, and an
alternating series' editions held in its places.

A series is an activity that others are ``part_of``, and an edition is one of those
parts with an ``edition`` number ("the 3rd Franco-Chinese seminar"). The number lives
on the edition and the membership on a link, so no single-table constraint can hold
the rule: it is checked here, from the model's ``clean()`` (saved links), the link's
``clean()`` (a new link) and the back office's link rows (links not yet saved).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django_countries import countries

from .vocabulary import LinkRelation


def edition_taken(activity, series, edition: int | None):
    """The other edition of ``series`` that already has number ``edition``, or None.

    Editions are activities like their series: asked through the series' own model, so
    that this module, which the models call, does not import them."""
    if not edition or series is None:
        return None
    others = type(series)._default_manager.filter(
        links_out__relation=LinkRelation.PART_OF, links_out__object=series, edition=edition
    )
    if activity.pk:
        others = others.exclude(pk=activity.pk)
    return others.order_by("pk").first()


def edition_problems(activity, series, *, edition=None, places: Iterable | None = None) -> dict:
    """Why ``activity`` cannot be an edition of ``series`` as it stands, by field.

    ``edition`` and ``places`` are those being saved (the record's own when None;
    its places are then read from the database, so only for a saved record).
    """
    problems = {}
    edition = activity.edition if edition is None else edition
    other = edition_taken(activity, series, edition)
    if other is not None:
        problems["edition"] = _(
            "«%(activity)s»: edition %(edition)d of the series «%(series)s» is already "
            "«%(other)s»; give another edition number."
        ) % {"activity": activity, "edition": edition, "series": series, "other": other}
    if series.alternating:
        allowed = list(series.places.all())
        if places is None:
            places = activity.places.all() if activity.pk else []
        outside = [p for p in places if allowed and p not in allowed]
        if outside:
            problems["places"] = _(
                "«%(activity)s»: the series «%(series)s» is held alternately in %(allowed)s; "
                "%(outside)s is not one of its places."
            ) % {
                "activity": activity,
                "series": series,
                "allowed": "; ".join(str(p) for p in allowed),
                "outside": "; ".join(str(p) for p in outside),
            }
    return problems


def series_problems(activity) -> dict:
    """The edition-number problems of a saved activity with the series it is part of."""
    if not activity.pk or not activity.edition:
        return {}
    problems: dict = {}
    for link in activity.links_out.filter(relation=LinkRelation.PART_OF).select_related("object"):
        other = edition_taken(activity, link.object, activity.edition)
        if other is not None:
            problems.setdefault("edition", []).append(
                edition_problems(activity, link.object, places=[])["edition"]
            )
    return problems


# ----------------------------------------------------------------------------- rotation

#: Years between two editions, by cadence.
CADENCE_YEARS = {"yearly": 1, "biennial": 2}


def editions_of(series) -> list:
    """The editions of ``series`` in order: numbered ones by number, then the others by date."""
    editions = (
        type(series)
        ._default_manager.filter(links_out__relation=LinkRelation.PART_OF, links_out__object=series)
        .prefetch_related("places")
        .distinct()
    )
    return sorted(editions, key=lambda e: (e.edition is None, e.edition or 0, e.start, e.pk))


def host_country(edition) -> str:
    """The country an edition was held in (its first place's), or "" when none is recorded."""
    for place in edition.places.all():
        if place.country:
            return place.country.code
    return ""


def expected_country(series, editions: list, number: int) -> str:
    """The country whose turn edition ``number`` is, per the series' rotation: the
    rotation is anchored on the first numbered edition whose host is recorded (a series
    may start its turn with any of its countries), else on the rotation's first country."""
    rotation = [c.code for c in series.rotation_countries]
    if len(rotation) < 2:
        return ""
    anchor_number, anchor_index = 1, 0
    for edition in editions:
        country = host_country(edition)
        if edition.edition and country in rotation:
            anchor_number, anchor_index = edition.edition, rotation.index(country)
            break
    return rotation[(anchor_index + number - anchor_number) % len(rotation)]


def _year(value: str) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def rotation_breaks(series, editions: list | None = None) -> list[str]:
    """What the editions of ``series`` break of its rotation and its cadence, one sentence
    each: shown as warnings on the series' page, in its check and on the desk. An edition
    that breaks them is saved (the record says what happened) but never silently."""
    editions = editions_of(series) if editions is None else editions
    problems = []
    for edition in editions:
        country = host_country(edition)
        wanted = expected_country(series, editions, edition.edition) if edition.edition else ""
        if wanted and country and country != wanted:
            problems.append(
                _(
                    "Edition %(edition)d «%(activity)s» was hosted in %(country)s; by the "
                    "rotation of «%(series)s» it was %(wanted)s's turn."
                )
                % {
                    "edition": edition.edition,
                    "activity": edition,
                    "country": countries.name(country),
                    "series": series,
                    "wanted": countries.name(wanted),
                }
            )
    step = CADENCE_YEARS.get(series.cadence)
    numbered = [e for e in editions if e.edition and _year(e.start)]
    for before, after in itertools.pairwise(numbered):
        gap = (after.edition - before.edition) * step if step else None
        if gap and _year(after.start) - _year(before.start) != gap:
            problems.append(
                _(
                    "Edition %(edition)d «%(activity)s» is in %(year)d; «%(series)s» is held "
                    "%(cadence)s, so %(wanted)d was expected."
                )
                % {
                    "edition": after.edition,
                    "activity": after,
                    "year": _year(after.start),
                    "series": series,
                    "cadence": series.get_cadence_display(),
                    "wanted": _year(before.start) + gap,
                }
            )
    return problems


def next_edition(series, editions: list | None = None) -> dict:
    """What the next edition of ``series`` is likely to be, to prefill its form: the next
    number, the country whose turn it is and the place it was last held in there, the
    year per the cadence, the category of the editions so far. Unknown stays empty."""
    editions = editions_of(series) if editions is None else editions
    numbers = [e.edition for e in editions if e.edition]
    number = max(numbers) + 1 if numbers else 1
    proposal: dict = {"edition": number, "category": "", "country": "", "place": None}
    if editions:
        proposal["category"] = editions[-1].category
    country = expected_country(series, editions, number)
    proposal["country"] = country
    if country:
        held = [p for e in reversed(editions) for p in e.places.all() if p.country == country]
        own = [p for p in series.places.all() if p.country == country]
        proposal["place"] = (held or own or [None])[0]
    step = CADENCE_YEARS.get(series.cadence)
    dated = [e for e in editions if e.edition and _year(e.start)]
    if step and dated:
        proposal["start"] = str(_year(dated[-1].start) + step * (number - dated[-1].edition))
    else:
        proposal["start"] = ""
    return proposal


def series_owners() -> set[int]:
    """Who owns a series (``core.desk.DeskSource.owners``)."""
    from .vocabulary import Category

    rows = _activity_model().objects.filter(category=Category.EVENT_SERIES, owner__isnull=False)
    return set(rows.values_list("owner_id", flat=True).order_by().distinct())


def rotation_items(user, today):
    """The desk's items: each series the user reads whose editions break its rotation or
    its cadence (few series, each checked in a handful of queries)."""
    from django.urls import reverse

    from passerelle.core.desk import Attention

    from .vocabulary import Category

    model = _activity_model()
    series = model.objects.restrict(user, "view").filter(category=Category.EVENT_SERIES)
    series = series.exclude(rotation_countries="", cadence="")
    for each in series.order_by("pk"):
        for i, problem in enumerate(rotation_breaks(each)):
            yield Attention(
                source="series_rotation",
                key=f"series:{each.pk}:rotation:{i}",
                label=problem,
                url=reverse("admin:activities_activity_change", args=[each.pk]),
                severity="warning",
                owner_id=each.owner_id,
                threshold="rotation",
            )


def _activity_model():
    from django.apps import apps

    return apps.get_model("activities", "Activity")
