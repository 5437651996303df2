"""Exchanges counted in people and person-months, by year × category × direction ×
country: one function behind the back office's page, its downloads and the API."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from passerelle.activities.exchanges import FigureFilters, exchange_figures
from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.registry.models import Organization, Person, Place


@pytest.fixture
def exchanges(db):
    shanghai = Place.objects.create(name_en="Shanghai", country="CN", visibility="public")
    lyon = Place.objects.create(name_en="Lyon", country="FR", visibility="public")
    sci = Organization.objects.create(
        name="Shanghai Cancer Institute",
        kind="research_institute",
        place=shanghai,
        visibility="public",
    )
    crcl = Organization.objects.create(
        name="CRCL", kind="research_institute", place=lyon, in_region=True, visibility="public"
    )
    agreement = Activity.objects.create(
        kind="agreement", status="signed", title_en="CRCL–SCI", visibility="public"
    )

    def exchange(title, **fields):
        fields.setdefault("visibility", "public")
        activity = Activity.objects.create(
            kind="exchange", category="mobility", title_en=title, **fields
        )
        Participation.objects.create(activity=activity, organization=crcl, role="sending")
        Participation.objects.create(activity=activity, organization=sci, role="receiving")
        ActivityLink.objects.create(subject=activity, relation="fulfils", object=agreement)
        return activity

    exchange(
        "Three PhD students to Shanghai",
        start="2014-09-01",
        direction="outgoing",
        exchange_category="phd_student",
        headcount=3,
        duration_months=Decimal("6"),
        exchange_status="completed",
    )
    named = exchange(
        "A physician to Shanghai",
        start="2014-01-01",
        end="2014-03-02",  # 60 days: 1.97 months from the dates
        direction="outgoing",
        exchange_category="physician",
    )
    named.participations.create(
        person=Person.objects.create(family_name="Martin", visibility="public"),
        role="participant",
    )
    exchange(
        "Unknown students", start="2014", direction="outgoing", exchange_category="phd_student"
    )
    exchange(
        "Cancelled",
        start="2014",
        direction="outgoing",
        exchange_category="phd_student",
        headcount=9,
        exchange_status="cancelled",
    )
    exchange(
        "Secret",
        start="2014",
        direction="outgoing",
        exchange_category="researcher",
        headcount=2,
        visibility="confidential",
    )
    return agreement


def test_people_and_person_months_by_year_category_direction_and_country(exchanges, staff):
    rows = {(r.year, r.category, r.direction, r.country): r for r in exchange_figures(staff)}
    phd = rows[(2014, "phd_student", "outgoing", "CN")]
    assert (phd.exchanges, phd.people, phd.person_months) == (2, 3, Decimal(18))
    assert phd.people_unknown == 1  # "unknown students": not counted as one person
    physician = rows[(2014, "physician", "outgoing", "CN")]
    assert physician.people == 1 and round(physician.person_months, 2) == Decimal("1.97")
    assert (2014, "researcher", "outgoing", "CN") in rows  # the administrator reads it
    only = exchange_figures(staff, FigureFilters(category="physician", country="cn"))
    assert [r.category for r in only] == ["physician"]


def test_anonymous_readers_and_the_api_count_only_what_they_read(exchanges, client):
    response = client.get("/api/exchanges/figures")
    assert response.status_code == 200
    data = response.json()
    assert {r["category"] for r in data["rows"]} == {"phd_student", "physician"}
    assert data["total"]["people"] == 4 and data["total"]["person_months"] == 20.0
    assert client.get("/api/exchanges/figures?year=2014&direction=incoming").json()["rows"] == []
    assert client.get("/api/exchanges/figures?direction=sideways").status_code in (400, 422)


def test_the_figures_page_its_csv_and_its_xlsx(exchanges, world, client):
    client.force_login(world.users["viewer"])
    url = reverse("admin:activities_activity_exchange_figures")
    page = client.get(url + "?year=2014")
    assert page.status_code == 200
    body = page.content.decode()
    assert "PhD student" in body and "China" in body and "18.0" in body
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    assert "researcher" not in table  # the confidential exchange is not the viewer's
    assert table.count("<tr") == 2
    sheet = client.get(url + "?download=csv")
    assert sheet["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert lines[0][:4] == ["year", "category", "direction", "country"]
    assert ["2014", "phd_student", "outgoing", "CN", "2", "3", "18.0", "1", "0"] in lines
    book = client.get(url + "?download=xlsx")
    cells = list(load_workbook(io.BytesIO(book.content)).active.values)
    assert (2014, "phd_student", "outgoing", "CN", 2, 3, 18, 1, 0) in cells


def test_record_an_exchange_under_this_agreement_prefills_the_form(exchanges, staff_client):
    page = staff_client.get(reverse("admin:activities_activity_change", args=[exchanges.pk]))
    body = page.content.decode()
    assert "Record an exchange under this agreement" in body
    assert "Three PhD students to Shanghai" in body
    form = staff_client.get(
        reverse("admin:activities_activity_add") + f"?kind=exchange&fulfils={exchanges.pk}"
    )
    html = form.content.decode()
    assert (
        'value="fulfils" selected' in html and f'<option value="{exchanges.pk}" selected>' in html
    )
    assert 'name="exchange_status"' in html and 'name="duration_months"' in html
    assert 'name="direction"' in html
    outgoing = Activity(
        kind="exchange", title_en="Checked", direction="outgoing", exchange_status="planned"
    )
    outgoing.full_clean()  # an exchange has a direction and a status
