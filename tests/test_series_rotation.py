"""Series: rotation and cadence, the next edition proposed, a break flagged; calendars."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from passerelle.activities.models import Activity, ActivityLink
from passerelle.activities.series import next_edition, rotation_breaks, rotation_items
from passerelle.registry.models import Place


@pytest.fixture
def series(db):
    """The Lyon–Shanghai seminars, yearly: 1st in Shanghai 2011, 2nd in Lyon 2012."""
    shanghai = Place.objects.create(name_en="Shanghai", country="CN", visibility="public")
    lyon = Place.objects.create(name_en="Lyon", country="FR", visibility="public")
    series = Activity.objects.create(
        kind="event",
        category="event_series",
        title_en="Seminars",
        title_fr="Séminaires",
        cadence="yearly",
        rotation_countries=["CN", "FR"],
        visibility="public",
    )
    for number, place, start in ((1, shanghai, "2011-05-10"), (2, lyon, "2012-06-04")):
        edition = Activity.objects.create(
            kind="event",
            category="seminar",
            title_en=f"Seminar {number}",
            title_fr=f"Séminaire {number}",
            edition=number,
            start=start,
            end=start[:-2] + "12",
            visibility="public",
        )
        edition.places.add(place)
        ActivityLink.objects.create(subject=edition, relation="part_of", object=series)
    return series


def test_the_next_edition_follows_the_rotation_and_the_cadence(series):
    proposal = next_edition(series)
    assert proposal["edition"] == 3
    assert proposal["country"] == "CN" and proposal["place"].name_en == "Shanghai"
    assert proposal["start"] == "2013"
    assert proposal["category"] == "seminar"
    assert rotation_breaks(series) == []


def test_an_edition_off_the_rotation_or_the_cadence_is_flagged_not_refused(series, staff):
    lyon = Place.objects.get(name_en="Lyon")
    third = Activity.objects.create(
        kind="event", title_en="Seminar 3", edition=3, start="2015", visibility="public"
    )
    third.places.add(lyon)
    link = ActivityLink(subject=third, relation="part_of", object=series)
    link.full_clean()  # accepted: the record says what happened
    link.save()
    breaks = rotation_breaks(series)
    assert any("Edition 3" in b and "France" in b and "China" in b for b in breaks), breaks
    assert any("2015" in b and "2013" in b for b in breaks), breaks
    items = list(rotation_items(staff, None))
    assert items and all(i.source == "series_rotation" for i in items)


def test_a_rotation_over_one_country_is_refused_naming_the_field(series):
    series.rotation_countries = ["FR"]
    with pytest.raises(ValidationError) as refused:
        series.full_clean()
    assert "at least two countries" in " ".join(refused.value.message_dict["rotation_countries"])


def test_the_series_page_shows_editions_and_proposes_the_next_one(series, staff_client):
    agreement = Activity.objects.create(
        kind="agreement", status="signed", title_en="Seminar agreement", visibility="public"
    )
    ActivityLink.objects.create(subject=series, relation="fulfils", object=agreement)
    page = staff_client.get(reverse("admin:activities_activity_change", args=[series.pk]))
    body = page.content.decode()
    assert "Seminar 1" in body and "Seminar 2" in body and "Shanghai" in body
    assert "Seminar agreement" in body and "Fulfils the agreement" in body
    assert "Add the next edition" in body
    add = reverse("admin:activities_activity_add")
    start = body.index(add + "?")
    url = body[start : body.index("'", start)].replace("&amp;", "&")
    form = staff_client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="edition" value="3"' in html and 'value="2013"' in html
    assert f'<option value="{series.pk}" selected>' in html  # the part_of link, ready


def test_an_edition_number_taken_is_refused_in_the_back_office(series, staff_client):
    add = reverse("admin:activities_activity_add") + "?kind=event"
    data = {
        "kind": "event",
        "category": "seminar",
        "title_en": "Duplicate",
        "edition": "2",
        "visibility": "public",
        "loaded_version": "",
    }
    form = staff_client.get(add)
    prefixes = {
        name.split("-TOTAL_FORMS")[0]
        for name in form.content.decode().split('name="')
        if "-TOTAL_FORMS" in name.split('"')[0]
    }
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    links = next(p for p in prefixes if p.startswith("links_out") or "activitylink" in p)
    data.update(
        {
            f"{links}-TOTAL_FORMS": "1",
            f"{links}-0-relation": "part_of",
            f"{links}-0-object": series.pk,
        }
    )
    before = Activity.objects.count()
    response = staff_client.post(add, data)
    assert response.status_code == 200
    assert "edition 2 of the series" in response.content.decode()
    assert Activity.objects.count() == before


def test_calendars_parse_with_stable_uids_and_translated_summaries(series, client):
    edition = Activity.objects.get(title_en="Seminar 1")
    url = reverse("portal:activity-calendar", kwargs={"uid": edition.uid})
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"activity-{edition.uid}@localhost"
    assert str(event["SUMMARY"]) == "Seminar 1"
    assert event.decoded("DTSTART").isoformat() == "2011-05-10"
    assert event.decoded("DTEND").isoformat() == "2011-05-13"  # the day after the last
    with translation.override("fr"):
        french = client.get(reverse("portal:activity-calendar", kwargs={"uid": edition.uid}))
    assert str(Calendar.from_ical(french.content).walk("VEVENT")[0]["SUMMARY"]) == "Séminaire 1"
    # the series' feed: its editions; a second fetch gives the same UIDs
    feed = client.get(reverse("portal:activity-calendar", kwargs={"uid": series.uid}))
    uids = sorted(str(e["UID"]) for e in Calendar.from_ical(feed.content).walk("VEVENT"))
    assert len(uids) == 2
    page = client.get(reverse("portal:activity", kwargs={"uid": series.uid})).content.decode()
    assert 'type="text/calendar"' in page and str(series.uid) + ".ics" in page


def test_the_calendar_of_all_events_leaves_out_what_is_not_public_or_not_dated(series, client):
    Activity.objects.create(kind="event", title_en="Secret", start="2012-01-01")  # internal
    Activity.objects.create(kind="event", title_en="Year only", start="2012", visibility="public")
    response = client.get(reverse("portal:events-calendar"))
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Seminar 1", "Seminar 2"}
    year_only = Activity.objects.get(title_en="Year only")
    missing = client.get(reverse("portal:activity-calendar", kwargs={"uid": year_only.uid}))
    assert missing.status_code == 404
    secret = Activity.objects.get(title_en="Secret")
    assert (
        client.get(reverse("portal:activity-calendar", kwargs={"uid": secret.uid})).status_code
        == 404
    )
