"""Series of events and their editions: an edition number once per series, and an
alternating series' editions held in its places.

A series is an activity that others are ``part_of``, and an edition is one of those
parts with an ``edition`` number ("the 3rd Franco-Chinese seminar"). The number lives
on the edition and the membership on a link, so no single-table constraint can hold
the rule: it is checked here, from the model's ``clean()`` (saved links), the link's
``clean()`` (a new link) and the back office's link rows (links not yet saved).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

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
