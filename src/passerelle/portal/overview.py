"""The pages that look at the whole network: home, International relations, timeline."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce, NullIf, RowNumber, Substr
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passerelle.activities.models import Activity, Participation
from passerelle.core.dates import PartialDate
from passerelle.core.visibility import PUBLIC, public, public_participations

from .composition import (
    Entry,
    compose,
    international_relations,
    section_activities,
    shown_sections,
)
from .dependencies import NETWORK, read
from .dependencies import year as year_key
from .models import SECTIONS, FeaturedActivity, Introduction
from .references import activity_ref, page_of, pagination

#: Activities a year shows on the timeline before "all N".
YEAR_SHOWN = 12


def introduction(page: str) -> list[str]:
    """Staff's opening paragraphs for a page, in the active language (English as a fallback)."""
    texts = {i.language: i for i in Introduction.objects.filter(page=page)}
    chosen = texts.get(get_language()) or texts.get("en")
    return chosen.paragraphs if chosen else []


def entry_data(entry: Entry) -> dict:
    return {
        **activity_ref(entry.activity),
        "title": entry.headline or entry.activity.title,
        "category": entry.activity.category,
        "featured": entry.featured,
        "text": entry.sentence,
        "parts": [entry_data(part) for part in entry.parts],
    }


def international_relations_page() -> dict:
    read(NETWORK)
    return {
        "type": "international-relations",
        "introduction": introduction(Introduction.Page.INTERNATIONAL_RELATIONS),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "lede": section.lede,
                "entries": [entry_data(e) for e in section.entries],
                "all_url": reverse("portal:section", kwargs={"key": section.key})
                if section.more
                else None,
            }
            for section in international_relations()
        ],
    }


def section_page(key: str, number: int) -> dict:
    read(NETWORK)
    if key not in dict(SECTIONS):
        raise Http404(key)
    shown = {s.key: s for s in shown_sections()}
    title = shown[key].title if key in shown else str(dict(SECTIONS)[key])
    page = page_of(section_activities(key), number)
    entries = compose(list(page.object_list))
    return {
        "type": "section",
        "key": key,
        "title": title,
        "entries": [entry_data(entries[a.pk]) for a in page.object_list],
        "pagination": pagination(page, "portal:section", key=key),
    }


def home_page() -> dict:
    read(NETWORK)
    featured = [
        f.activity
        for f in FeaturedActivity.objects.select_related("activity").filter(
            activity__visibility=PUBLIC
        )[:6]
    ]
    entries = compose(featured)
    taking_part = public_participations(Participation.objects.all()).aggregate(
        organizations=Count("organization_id", distinct=True),
        people=Count("person_id", distinct=True),
        countries=Count(
            "organization__place__country",
            distinct=True,
            filter=Q(organization__place__visibility=PUBLIC),
        ),
    )
    return {
        "type": "home",
        "introduction": introduction(Introduction.Page.HOME),
        "featured": [entry_data(entries[a.pk]) for a in featured],
        # who takes part in public activities, not every organization the registry holds
        "figures": {"activities": public(Activity.objects.all()).count(), **taking_part},
    }


def _dated(activities: QuerySet) -> QuerySet:
    """Activities with the date the timeline places them on: their start, else (an agreement
    with no term recorded) the day it was signed; ``None`` where neither is recorded."""
    return activities.annotate(
        when=Coalesce(NullIf("start", Value("")), NullIf("signed_on", Value(""))),
        year=Substr("when", 1, 4),
    )


def _year_activities(year: int) -> QuerySet:
    return _dated(public(Activity.objects.all())).filter(
        when__gte=str(year), when__lt=str(year + 1)
    )


def _undated_activities() -> QuerySet:
    return _dated(public(Activity.objects.all())).filter(when__isnull=True)


def timeline_ref(activity: Activity) -> dict:
    """An activity as the timeline lists it: an agreement known by its signature says so."""
    ref = activity_ref(activity)
    if not ref["dates"] and activity.signed_on:
        ref["dates"] = _("signed in %(date)s") % {
            "date": PartialDate.parse(activity.signed_on).display()
        }
    return ref


def timeline_page() -> dict:
    """Every public activity: by the year it started (or was signed), most recent year first,
    then those whose date is not recorded.

    Two queries whatever the number of years: the counts, and the first activities of
    every year ranked in one pass.
    """
    read(NETWORK)
    dated = _dated(public(Activity.objects.all()))
    counts = {
        row["year"]: row["activities"]
        for row in dated.values("year").annotate(activities=Count("pk")).order_by()
    }
    ranked = dated.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("year"),
            order_by=[F("when").asc(), F("title_en").asc(), F("pk").asc()],
        )
    ).filter(rank__lte=YEAR_SHOWN)
    shown: dict[str | None, list[Activity]] = defaultdict(list)
    for activity in ranked.order_by("when", "title_en", "pk"):
        shown[activity.year].append(activity)
    undated = counts.pop(None, 0)
    largest = max(counts.values(), default=1)
    years = [
        {
            "year": int(year),
            "activities": count,
            "share": round(100 * count / largest, 1),
            "shown": [timeline_ref(a) for a in shown[year]],
            "url": reverse("portal:timeline-year", kwargs={"year": int(year)}),
        }
        for year, count in sorted(counts.items(), reverse=True)
    ]
    return {
        "type": "timeline",
        "years": years,
        "undated": {
            "activities": undated,
            "shown": [timeline_ref(a) for a in shown[None]],
            "url": reverse("portal:timeline-undated"),
        },
        "total": undated + sum(counts.values()),
    }


def timeline_year_page(year: int, number: int) -> dict:
    read(year_key(year))
    page = page_of(_year_activities(year).order_by("when", "title_en", "pk"), number)
    if not page.paginator.count:
        raise Http404(str(year))
    return {
        "type": "timeline-year",
        "year": year,
        "activities": [timeline_ref(a) for a in page.object_list],
        "pagination": pagination(page, "portal:timeline-year", year=year),
    }


def timeline_undated_page(number: int) -> dict:
    """The public activities whose dates are not recorded, by title: on the timeline too."""
    read(NETWORK)
    page = page_of(_undated_activities().order_by("title_en", "pk"), number)
    return {
        "type": "timeline-undated",
        "activities": [activity_ref(a) for a in page.object_list],
        "pagination": pagination(page, "portal:timeline-undated"),
    }
