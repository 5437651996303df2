"""The pages that look at the whole network: home, International relations, timeline."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language

from passerelle.activities.models import Activity, Participation
from passerelle.core.visibility import PUBLIC, public, public_participations

from .composition import Entry, compose, international_relations, section_activities
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
        "category": entry.activity.category,
        "featured": entry.featured,
        "text": entry.sentence,
        "parts": [entry_data(part) for part in entry.parts],
    }


def international_relations_page() -> dict:
    return {
        "type": "international-relations",
        "introduction": introduction(Introduction.Page.INTERNATIONAL_RELATIONS),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "entries": [entry_data(e) for e in section.entries],
                "all_url": reverse("portal:section", kwargs={"key": section.key})
                if section.more
                else None,
            }
            for section in international_relations()
        ],
    }


def section_page(key: str, number: int) -> dict:
    titles = dict(SECTIONS)
    if key not in titles:
        raise Http404(key)
    page = page_of(section_activities(key), number)
    entries = compose(list(page.object_list))
    return {
        "type": "section",
        "key": key,
        "title": str(titles[key]),
        "entries": [entry_data(entries[a.pk]) for a in page.object_list],
        "pagination": pagination(page, "portal:section", key=key),
    }


def home_page() -> dict:
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


def _year_activities(year: int):
    return public(Activity.objects.all()).filter(start__gte=str(year), start__lt=str(year + 1))


def timeline_page() -> dict:
    """Activities by the year they started, most recent year first."""
    counts = (
        public(Activity.objects.exclude(start=""))
        .annotate(year=Substr("start", 1, 4))
        .values("year")
        .annotate(activities=Count("pk"))
        .order_by("-year")
    )
    largest = max((row["activities"] for row in counts), default=1)
    years = []
    for row in counts:
        year = int(row["year"])
        shown = _year_activities(year).order_by("start", "pk")[:YEAR_SHOWN]
        years.append(
            {
                "year": year,
                "activities": row["activities"],
                "share": round(100 * row["activities"] / largest, 1),
                "shown": [activity_ref(a) for a in shown],
                "url": reverse("portal:timeline-year", kwargs={"year": year}),
            }
        )
    return {"type": "timeline", "years": years}


def timeline_year_page(year: int, number: int) -> dict:
    page = page_of(_year_activities(year).order_by("start", "pk"), number)
    if not page.paginator.count:
        raise Http404(str(year))
    return {
        "type": "timeline-year",
        "year": year,
        "activities": [activity_ref(a) for a in page.object_list],
        "pagination": pagination(page, "portal:timeline-year", year=year),
    }
