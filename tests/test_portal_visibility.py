"""Nothing that is not public reaches the portal: pages, map, network, sitemap, JSON, static copy.

One record of every kind is hidden, each carrying a marker in its name; then
the whole public site is crawled (the static export does exactly that) and
every file is searched for the marker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.activities.models import Activity, Participation
from passerelle.core.models import Source
from passerelle.portal.publishing import publish
from passerelle.registry.models import Organization, Person, Place, Topic

MARK = "zqx"


@pytest.fixture
def hidden(demo) -> dict:
    """One confidential or internal record of every kind, each named with the marker."""
    inca = Organization.objects.get(acronym="INCa")
    inca.name = inca.name_en = inca.name_fr = "Zqx Institut National du Cancer"
    inca.acronym = "ZQXa"
    inca.visibility = "confidential"
    inca.save()
    blay = Person.objects.get(family_name="Blay")
    blay.family_name, blay.visibility = "Zqxblay", "confidential"
    blay.save()
    nano = Activity.objects.get(title_en="Nano2Life")
    nano.title_en = nano.title_fr = "Zqx Nano2Life"
    nano.visibility = "internal"
    nano.save()
    sarcoma = Topic.objects.get(slug="sarcoma")
    sarcoma.name_en = sarcoma.name_fr = "Zqx sarcoma"
    sarcoma.visibility = "confidential"
    sarcoma.save()
    rehovot = Place.objects.get(name_en="Rehovot")
    rehovot.name_en = rehovot.name_fr = "Zqx Rehovot"
    rehovot.visibility = "confidential"
    rehovot.save()
    ror = Source.objects.get(title__icontains="ROR")
    ror.title, ror.visibility = "Zqx registry", "internal"
    ror.save()
    return {
        "organization": inca,
        "person": blay,
        "activity": nano,
        "topic": sarcoma,
        "place": rehovot,
        "source": ror,
    }


def test_no_hidden_record_anywhere_in_the_public_site(hidden, tmp_path):
    site = tmp_path / "site"
    summary = publish(site)
    assert summary.pages > 100  # both languages of every page type were crawled
    leaks = [
        str(path.relative_to(site))
        for path in site.rglob("*")
        if path.is_file() and MARK in path.read_text(errors="replace").casefold()
    ]
    assert leaks == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?kind=program",
        "?kind=agreement",
        "?since=2000&until=2030",
        "?country=FR",
        "?country=IL",
    ],
)
def test_no_hidden_record_in_filtered_map_and_network(client, hidden, query):
    for path in ("/en/map.json", "/en/network.json", "/en/map/", "/en/network/"):
        assert MARK not in client.get(f"{path}{query}").content.decode().casefold(), path


def test_hidden_records_have_no_page(client, hidden):
    for path in (
        f"/en/organizations/{hidden['organization'].uid}/",
        f"/en/people/{hidden['person'].uid}/",
        f"/en/activities/{hidden['activity'].uid}/",
        f"/en/activities/{hidden['activity'].uid}.json",
        f"/en/topics/{hidden['topic'].slug}/",
        f"/fr/organisations/{hidden['organization'].uid}/activities/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_hidden_place_hides_where_a_public_partner_is(client, hidden):
    weizmann = Organization.objects.get(name="Weizmann Institute of Science")
    document = client.get(f"/en/organizations/{weizmann.uid}.json").json()
    assert document["place"] is None and document["locator"] is None
    assert "location" not in document["jsonld"]
    israel = client.get("/en/countries/il.json").json()
    assert israel["organizations"]["shown"] == []


def test_a_hidden_participation_hides_only_that_tie(client, demo):
    lausanne = Activity.objects.get(title_en__contains="with Lausanne")
    tie = Participation.objects.get(activity=lausanne, organization__acronym="CLARA")
    tie.visibility = "internal"
    tie.save()
    clara = Organization.objects.get(acronym="CLARA")
    activity = client.get(f"/en/activities/{lausanne.uid}.json").json()
    names = {a["name"] for group in activity["participants"] for a in group["actors"]}
    assert "CLARA cancer cluster" not in names and "Cancer research cluster in Lausanne" in names
    organization = client.get(f"/en/organizations/{clara.uid}.json").json()
    assert lausanne.title_en not in [a["title"] for a in organization["activities"]["recent"]]
    assert organization["activities"]["count"] == 11
    network = client.get("/en/network.json").json()
    assert not any(
        {link["source"], link["target"]}
        == {"CLARA cancer cluster", "Cancer research cluster in Lausanne"}
        for link in network["links"]
    )


def test_anyone_signed_in_sees_the_same_public_portal(staff_client, hidden):
    body = staff_client.get("/en/international-relations/").content.decode()
    assert MARK not in body.casefold()


def test_the_static_export_of_an_empty_network(db, tmp_path: Path):
    summary = publish(tmp_path / "empty")
    assert summary.pages >= 16 and not summary.broken
