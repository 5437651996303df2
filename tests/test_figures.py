"""The desk of figures (insights/figures.py): each figure against counts made here
independently, the public never counting a confidential record, the CSV, the pages."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from passerelle.activities.models import Activity, Participation
from passerelle.insights import charts
from passerelle.insights.figure_tables import Filters
from passerelle.insights.figures import activities_by_year, all_figures, sourced_share
from passerelle.insights.partner_figures import collaboration_types, partners_by_year
from passerelle.registry.models import Organization, Place


@pytest.fixture
def small(db):
    """Four organizations (two of the region, one Italian, one Spanish) and dated
    activities between them, one of them confidential."""
    lyon = Place.objects.create(name_en="Lyon", country="FR", visibility="public")
    milan = Place.objects.create(name_en="Milan", country="IT", visibility="public")
    madrid = Place.objects.create(name_en="Madrid", country="ES", visibility="public")
    make = Organization.objects.create
    orgs = {
        "clb": make(name="Centre Léon Bérard", place=lyon, in_region=True, visibility="public"),
        "hcl": make(name="HCL", place=lyon, in_region=True, visibility="public"),
        "int": make(name="INT Milano", place=milan, visibility="public"),
        "cnio": make(name="CNIO", place=madrid, visibility="public"),
    }

    def activity(title, start, kind, members, visibility="public"):
        made = Activity.objects.create(
            title_en=title, start=start, kind=kind, visibility=visibility
        )
        for name in members:
            Participation.objects.create(activity=made, organization=orgs[name], role="partner")
        return made

    found = {
        "regional": activity("Lyon seminar", "2023-03-02", "project", ["clb", "hcl"]),
        "bilateral": activity("Milan project", "2023-05", "project", ["clb", "int"]),
        "trilateral": activity("Three cities", "2024", "project", ["clb", "int", "cnio"]),
        "secret": activity("Secret project", "2024-06", "project", ["hcl", "cnio"], "confidential"),
    }
    return orgs, found


def _admin():
    return get_user_model().objects.create_superuser("figures-admin", password="x")


def test_activities_per_year_equal_counts_made_independently(small):
    table = activities_by_year(None, Filters())
    by_year = {row[0]: row[-1] for row in table.rows}
    assert by_year == {2023: 2, 2024: 1}  # the confidential one is not the public's
    everything = Counter(a.start[:4] for a in Activity.objects.all())
    staff = {row[0]: row[-1] for row in activities_by_year(_admin(), Filters()).rows}
    assert staff == {int(y): n for y, n in everything.items()}


def test_collaboration_types_by_the_countries_taking_part(small):
    _orgs, found = small
    types = collaboration_types(None, Filters())
    assert types[found["regional"].pk] == "regional"
    assert types[found["bilateral"].pk] == "bilateral"
    assert types[found["trilateral"].pk] == "trilateral"
    assert found["secret"].pk not in types


def test_new_lasting_and_lost_partners(small):
    _orgs, found = small
    Activity.objects.filter(pk=found["secret"].pk).update(visibility="public")
    rows = {r[0]: r for r in partners_by_year(None, Filters()).rows}
    # year, partners, new, lasting, lost, countries, new countries
    assert rows[2023] == [2023, 1, 1, 0, 0, 1, 1]  # INT Milano, Italy
    assert rows[2024] == [2024, 2, 1, 1, 0, 2, 1]  # INT again, CNIO new; Spain new
    only_2024 = partners_by_year(None, Filters(first_year=2024))
    assert [r[0] for r in only_2024.rows] == [2024]
    assert only_2024.rows[0][2] == 1  # INT is lasting, not new, though 2023 is filtered out


def test_a_confidential_record_is_never_counted_in_public_figures(small):
    _orgs, _found = small
    public = {t.key: t for t in all_figures(None, Filters())}
    staff = {t.key: t for t in all_figures(_admin(), Filters())}
    assert public["activities"].total("total") == 3
    assert staff["activities"].total("total") == 4
    # CNIO takes part publicly only in one 2024 activity; the secret one is not counted
    public_2024 = next(r for r in public["partners"].rows if r[0] == 2024)
    staff_2024 = next(r for r in staff["partners"].rows if r[0] == 2024)
    assert public_2024[1] == 2 and staff_2024[1] == 2
    assert public["collaboration"].total("bilateral") == 1
    assert staff["collaboration"].total("bilateral") == 2  # the secret one: Lyon and Madrid


def test_filters_kind_country_member_and_period(small):
    orgs, _found = small
    assert activities_by_year(None, Filters(country="ES")).total("total") == 1
    assert activities_by_year(None, Filters(member=orgs["hcl"].pk)).total("total") == 1
    assert activities_by_year(None, Filters(kind="event")).rows == []
    assert activities_by_year(None, Filters(last_year=2023)).total("total") == 2
    garbage = Filters.from_query(
        {"since": "20x4", "kind": "nope", "country": "<b>", "member": "-1"}
    )
    assert garbage == Filters()


def test_sourced_share_counts_activities_with_a_cited_source(small):
    from passerelle.core.models import Source

    _orgs, found = small
    source = Source.objects.create(title="Report 2023", url="https://x.org/r", visibility="public")
    found["bilateral"].citations.create(source=source)
    tie = found["regional"].participations.first()
    tie.citations.create(source=source)  # a source cited on a participation counts too
    secret = Source.objects.create(title="Memo", visibility="confidential")
    found["trilateral"].citations.create(source=secret)  # not for the public
    rows = {r[0]: r for r in sourced_share(None, Filters()).rows}
    assert rows[2023] == [2023, 2, 2, 100]
    assert rows[2024] == [2024, 1, 0, 0]
    staff = {r[0]: r for r in sourced_share(_admin(), Filters()).rows}
    assert staff[2024][1:3] == [2, 1]


def test_csv_holds_the_table_unlocalized(small, client):
    response = client.get("/fr/chiffres/activities.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "year" and rows[0][-1] == "total"
    assert {r[0]: r[-1] for r in rows[1:]} == {"2023": "2", "2024": "1"}
    assert client.get("/en/figures/nothing.csv").status_code == 404


def test_the_public_page_and_the_staff_page(small, client):
    page = client.get("/en/figures/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "Activities per year, by kind" in body
    assert "Chart of Activities per year" in body  # the text alternative
    assert client.get("/en/figures/?since=abc&member=x").status_code == 200
    data = client.get("/en/figures.json").json()
    totals = {f["key"]: f for f in data["figures"]}
    assert sum(r[-1] for r in totals["activities"]["rows"]) == 3
    client.force_login(_admin())
    staff = client.get("/en/admin/figures/")
    assert staff.status_code == 200
    download = client.get("/en/admin/figures/?download=activities")
    assert {r[0]: r[-1] for r in csv.reader(io.StringIO(download.content.decode()))} == {
        "year": "total",
        "2023": "2",
        "2024": "2",
    }


def test_the_chart_is_svg_with_words_in_the_readers_locale(small):
    from django.utils import translation

    table = activities_by_year(None, Filters())
    chart = charts.draw(table)
    assert chart.svg.startswith("<svg") and "2023" in chart.svg
    assert charts.draw(table).svg == chart.svg  # the same records, the same file
    with translation.override("fr"):
        share = sourced_share(None, Filters())
        share.rows = [[2023, 3, 1, 33.3]]
        assert "33,3" in charts.describe(share)


def test_figures_on_the_demo_equal_counts_made_independently(demo):
    public = Activity.objects.filter(visibility="public")
    table = activities_by_year(None, Filters())
    assert table.total("total") == public.count()
    kinds = Counter(public.values_list("kind", flat=True))
    for kind, n in kinds.items():
        assert table.total(kind) == n
    agreements = {r[0]: r[1] for r in all_figures(None, Filters())[1].rows}
    assert sum(agreements.values()) == public.filter(kind="agreement").count()
