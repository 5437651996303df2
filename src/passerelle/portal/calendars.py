"""Calendars (RFC 5545) of the public events: one per event, one per series, one of all.

What a calendar holds, and what it leaves out on purpose:

- public events only (the portal's rule: everyone reads the same public records);
- an event is a VEVENT only when its start is known to the day: an all-day span from its
  first day to its last (DTEND is the day after, as RFC 5545 wants for dates). An event
  known only to a month or a year is left out: a calendar would show a seminar as a
  month- or year-long block, which the record does not say. Its page still gives the
  date as known;
- each VEVENT's UID is ``activity-<stable id>@<host>``, the record's uid (which never
  changes, even across databases) and the deployment's first allowed host, so a client
  that subscribed updates the event rather than adding it twice;
- SUMMARY, DESCRIPTION and CATEGORIES are in the language of the address (``/fr/…``),
  LOCATION the venue, else the places; URL the event's page.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from icalendar import Calendar, Event

from passerelle.activities.models import Activity
from passerelle.activities.vocabulary import Category, Kind, LinkRelation
from passerelle.core.dates import PartialDate, Precision
from passerelle.core.visibility import PUBLIC, public

from .references import url_of

CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid_domain() -> str:
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")]
    return hosts[0] if hosts else "passerelle"


def event_uid(activity: Activity) -> str:
    return f"activity-{activity.uid}@{uid_domain()}"


def exact_day(text: str) -> datetime.date | None:
    """The day a partial date names, or None when it names only a month or a year."""
    if not text:
        return None
    date = PartialDate.parse(text)
    return date.first_day if date.precision == Precision.DAY else None


def in_calendar(activity: Activity) -> bool:
    """Whether the event makes a VEVENT (see the module docstring)."""
    return activity.kind == Kind.EVENT and exact_day(activity.start) is not None


def vevent(activity: Activity, request: HttpRequest) -> Event:
    start = exact_day(activity.start)
    last = exact_day(activity.end) or start
    event = Event()
    event.add("uid", event_uid(activity))
    event.add("dtstamp", activity.updated)
    event.add("last-modified", activity.updated)
    event.add("dtstart", start)
    event.add("dtend", max(last, start) + datetime.timedelta(days=1))
    event.add("summary", activity.title)
    if activity.summary:
        event.add("description", activity.summary)
    places = [str(p) for p in activity.places.all() if p.visibility == PUBLIC]
    location = activity.venue or "; ".join(places)
    if location:
        event.add("location", location)
    if activity.category:
        event.add("categories", [str(activity.get_category_display())])
    event.add("url", request.build_absolute_uri(url_of(activity)))
    return event


def calendar(name: str, activities, request: HttpRequest) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Passerelle//International relations//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for activity in activities:
        if in_calendar(activity):
            cal.add_component(vevent(activity, request))
    return cal.to_ical()


def public_events() -> QuerySet:
    return (
        public(Activity.objects.filter(kind=Kind.EVENT))
        .exclude(category=Category.EVENT_SERIES)
        .exclude(start="")
        .prefetch_related("places")
        .order_by("start", "pk")
    )


def editions(series: Activity) -> QuerySet:
    return public_events().filter(
        links_out__relation=LinkRelation.PART_OF, links_out__object=series
    )


def respond(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = get_language() or "en"
    return response
