"""The portal's detail pages, indexes, map, network, timeline, sitemap and their JSON twins."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from passerelle.activities.models import Activity, Participation
from passerelle.demo.portal_texts import INTRODUCTION_EN, seed_paragraphs
from passerelle.ingest.linked.iris import iri_of
from passerelle.portal.models import FeaturedActivity, Introduction, SectionSetting
from passerelle.registry.models import Organization, Person, Topic


def jsonld(response) -> dict:
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found, "no JSON-LD block"
    return json.loads(found.group(1))


@pytest.fixture
def clara(demo):
    return Organization.objects.get(acronym="CLARA")


def test_organization_page(client, clara, text_of):
    response = client.get(f"/en/organizations/{clara.uid}/")
    assert response.status_code == 200
    page = text_of(response)
    assert "CLARA cancer cluster" in page and "Lyon, France" in page
    assert "Identifying biomarkers in lung cancer, with Milan" in page
    assert "French National Cancer Institute 2 activities together" in page
    assert "Since its creation, CLARA has been working" in page  # the quoted source
    described = jsonld(response)
    assert described["@type"] == "Organization" and described["name"] == "CLARA cancer cluster"
    assert described["location"]["geo"]["latitude"] == pytest.approx(45.75, abs=0.1)
    document = client.get(f"/en/organizations/{clara.uid}.json").json()
    assert document["activities"]["count"] == 12
    assert document["partners"][0]["name"] == "French National Cancer Institute"
    assert document["partners"][0]["shared_activities"] == 2


def test_organization_identifiers_link_to_their_registry(client, demo):
    iarc = Organization.objects.get(acronym="IARC")
    body = client.get(f"/en/organizations/{iarc.uid}/").content.decode()
    ror = iarc.identifiers.get(scheme="ror").value
    assert f'href="https://ror.org/{ror}"' in body
    assert (
        f"https://ror.org/{ror}" in jsonld(client.get(f"/en/organizations/{iarc.uid}/"))["sameAs"]
    )


def test_activity_page_groups_participants_by_role_and_quotes_its_sources(client, demo, text_of):
    milan = Activity.objects.get(title_en__contains="with Milan")
    response = client.get(f"/en/activities/{milan.uid}/")
    document = client.get(f"/en/activities/{milan.uid}.json").json()
    roles = {
        group["role"]: [a["name"] for a in group["actors"]] for group in document["participants"]
    }
    assert roles["coordinator"] == ["Pr. C. Brambilla"]
    assert roles["supporter"] == ["French National Cancer Institute"]
    assert "The first, with Milan, focuses on identifying biomarkers" in text_of(response)
    assert jsonld(response)["@type"] == "ResearchProject"


def test_event_pages_describe_an_event(client, demo):
    event = Activity.objects.get(title_en="7th CLARA Scientific Days")
    event.start, event.end = "2012-06-14", "2012-06-15"
    event.save()
    described = jsonld(client.get(f"/en/activities/{event.uid}/"))
    assert described["@type"] == "Event" and described["startDate"] == "2012-06-14"
    clara = Organization.objects.get(acronym="CLARA")
    assert described["organizer"] == [
        {"@id": iri_of(clara), "@type": "Organization", "name": "CLARA cancer cluster"}
    ]


def test_dates_show_at_their_precision(client, demo, text_of):
    china = Activity.objects.get(title_en__startswith="Collaborative program between")
    assert "since 2011" in text_of(client.get(f"/en/activities/{china.uid}/")).lower() or (
        client.get(f"/en/activities/{china.uid}.json").json()["dates"] == "since 2011"
    )


def test_person_page(client, demo, text_of):
    brambilla = Person.objects.get(family_name="Brambilla")
    response = client.get(f"/en/people/{brambilla.uid}/")
    page = text_of(response)
    assert "Pr. C. Brambilla" in page and "Grenoble" in page
    assert "Identifying biomarkers in lung cancer, with Milan project · coordinator" in page
    assert {"Biomarkers", "Lung cancer"} <= {
        t["name"] for t in client.get(f"/en/people/{brambilla.uid}.json").json()["topics"]
    }
    assert jsonld(response)["@type"] == "Person"


def test_topic_and_country_pages(client, demo):
    lung = Topic.objects.get(slug="lung-cancer")
    topic = client.get(f"/en/topics/{lung.slug}.json").json()
    assert any("with Milan" in a["title"] for a in topic["activities"]["recent"])
    italy = client.get("/en/countries/it.json").json()
    assert italy["name"] == "Italy"
    assert [o["name"] for o in italy["organizations"]["shown"]] == [
        "Cancer research cluster in Milan"
    ]
    assert any("with Milan" in a["title"] for a in italy["activities"]["recent"])
    with translation.override("fr"):
        assert reverse("portal:country", kwargs={"code": "it"}) == "/fr/pays/it/"
    assert client.get("/fr/pays/it/").status_code == 200
    typed = client.get("/fr/pays/IT/")  # the ISO code as it is written leads to the page
    assert typed.status_code == 302 and typed["Location"] == "/fr/pays/it/"
    assert client.get("/en/countries/IT.json")["Location"] == "/en/countries/it.json"
    senegal = client.get("/en/countries/sn.json").json()  # only a delegation from there
    assert [a["title"] for a in senegal["activities"]["recent"]] == ["Senegalese delegation"]


def test_indexes(client, demo):
    countries = client.get("/en/countries.json").json()["countries"]
    assert countries[0]["code"] == "FR" and {"IT", "CH", "IL", "CN", "ES"} <= {
        c["code"] for c in countries
    }
    topics = client.get("/en/topics.json").json()["topics"]
    assert any(t["name"] == "Lung cancer" and t["activities"] >= 1 for t in topics)
    organizations = client.get("/en/organizations.json").json()
    assert organizations["pagination"]["count"] == Organization.objects.count()
    assert client.get("/en/organizations/page/2/").status_code == 404  # 15 fit on one page


def test_long_lists_page_by_path(client, db):
    Organization.objects.bulk_create(
        [Organization(name=f"Institute {i:03d}", visibility="public") for i in range(120)]
    )
    first = client.get("/en/organizations.json").json()["pagination"]
    assert first == {
        "number": 1,
        "pages": 3,
        "count": 120,
        "previous": None,
        "next": "/en/organizations/page/2/",
    }
    third = client.get("/fr/organisations/page/3.json").json()
    assert third["pagination"]["previous"] == "/fr/organisations/page/2/"
    assert len(third["organizations"]) == 20
    assert client.get("/en/organizations/page/4/").status_code == 404


def test_map_data(client, demo):
    document = client.get("/en/map.json").json()
    places = {p["place"]: p for p in document["points"]}
    assert {"Milan", "Lausanne", "Rehovot", "Shanghai", "Heidelberg"} <= set(places)
    assert "Lyon" not in places and "Grenoble" not in places  # the region is the origin
    assert places["Milan"]["line"].startswith("M")  # a line from the region
    assert document["origin"] is not None
    agreements = client.get("/en/map.json?kind=agreement").json()
    assert {p["place"] for p in agreements["points"]} == {"Rehovot", "Shanghai"}
    since_2013 = client.get("/en/map.json?since=2013").json()
    assert {p["place"] for p in since_2013["points"]} < set(places)


def test_the_map_names_a_region_in_the_readers_language(client, demo, text_of):
    """A place known only by its region (the demo's Catalonia) is named in French on the
    French map and its table; a region with no French name recorded keeps its one name."""
    french = client.get("/fr/carte.json").json()
    assert "Catalogne" in {p["place"] for p in french["points"]}
    assert "Catalonia" not in {p["place"] for p in french["points"]}
    assert "Catalonia" in {p["place"] for p in client.get("/en/map.json").json()["points"]}
    table = text_of(client.get("/fr/carte/"))
    assert "Catalogne" in table and "Catalonia" not in table


@pytest.mark.parametrize(
    "query",
    ["since=abc", "kind=bogus", "until=99999", "country=ZZ", "topic=%27%3B--", "since=%00"],
)
def test_malformed_filters_are_ignored_not_errors(client, demo, query):
    assert client.get(f"/en/map/?{query}").status_code == 200
    assert client.get(f"/en/network.json?{query}").status_code == 200


def test_network_data(client, demo):
    document = client.get("/en/network.json").json()
    nodes = {n["name"]: n for n in document["nodes"]}
    assert document["nodes"][0]["name"] == "CLARA cancer cluster"
    assert nodes["CLARA cancer cluster"]["group"] == "region"
    assert nodes["French National Cancer Institute"]["group"] == "france"
    assert nodes["Weizmann Institute of Science"]["group"] == "abroad"
    strongest = document["links"][0]
    assert {strongest["source"], strongest["target"]} == {
        "CLARA cancer cluster",
        "French National Cancer Institute",
    }
    assert strongest["shared_activities"] == 2
    italy = client.get("/en/network.json?country=IT").json()
    assert {n["name"] for n in italy["nodes"]} == {
        "CLARA cancer cluster",
        "French National Cancer Institute",
        "Cancer research cluster in Milan",
    }
    # the same records give the same picture
    assert client.get("/en/network.json").json()["nodes"] == document["nodes"]


def test_timeline(client, demo):
    document = client.get("/en/timeline.json").json()
    years = [y["year"] for y in document["years"]]
    # the only start date the seed page gives, and the year the Shanghai agreement was signed
    assert years == [2013, 2011]
    assert document["years"][0]["shown"][0]["dates"] == "signed in 2013"
    nano2life = Activity.objects.get(title_en="Nano2Life")
    nano2life.start = "2004-01"
    nano2life.save()  # renews the pages that read its year: the timeline's
    years = [y["year"] for y in client.get("/en/timeline.json").json()["years"]]
    assert years == [2013, 2011, 2004]
    year = client.get("/fr/chronologie/2011.json").json()
    assert year["activities"] and all(a["dates"] for a in year["activities"])
    assert client.get("/fr/chronologie/2013.json").json()["activities"][0]["dates"] == (
        "signé en 2013"
    )
    assert client.get("/en/timeline/1900/").status_code == 404


def test_the_timeline_shows_every_public_activity(client, demo, text_of):
    """On its year, on the year it was signed, or in the list of those with no date."""
    public = set(Activity.objects.filter(visibility="public").values_list("uid", flat=True))
    assert len(public) == 28
    document = client.get("/en/timeline.json").json()
    assert document["total"] == 28
    assert sum(y["activities"] for y in document["years"]) + document["undated"]["activities"] == 28
    assert document["undated"]["activities"] == 26  # the three Weizmann exchanges have no date
    listed = set()
    for year in document["years"]:
        listed |= {
            a["id"] for a in client.get(f"/en/timeline/{year['year']}.json").json()["activities"]
        }
    undated = client.get("/en/timeline/date-not-recorded.json").json()
    listed |= {a["id"] for a in undated["activities"]}
    assert listed == {str(uid) for uid in public}
    html = text_of(client.get("/fr/chronologie/"))
    assert "Date non renseignée 26 activités" in html
    assert "Les 26 activités dont la date n'est pas renseignée" in html
    # a hidden activity leaves the count
    nano2life = Activity.objects.get(title_en="Nano2Life")
    nano2life.visibility = "internal"
    nano2life.save()
    assert client.get("/en/timeline.json").json()["undated"]["activities"] == 25


def test_network_labels_fit_and_differ(client, demo):
    for language in ("en", "fr"):
        path = "/en/network.json" if language == "en" else "/fr/reseau.json"
        nodes = client.get(path).json()["nodes"]
        labels = [" ".join(n["label"]) for n in nodes if n["labelled"]]
        assert len(labels) == len(set(labels)), labels
        assert all(len(line) <= 22 for n in nodes for line in n["label"])
    names = {n["name"]: n["label"] for n in client.get("/en/network.json").json()["nodes"]}
    assert names["CLARA cancer cluster"] == ["CLARA"]
    assert names["Cancer research cluster in Milan"] == ["Cancer research", "cluster in Milan"]
    body = client.get("/en/network/").content.decode()
    assert "<title>Cancer research cluster in Milan: 1 activity" in body  # then its role


@pytest.mark.parametrize(
    "path",
    [
        "/en/organizations/00000000-0000-0000-0000-000000000000/",
        "/en/people/00000000-0000-0000-0000-000000000000/",
        "/en/activities/00000000-0000-0000-0000-000000000000.json",
        "/en/topics/no-such-topic/",
        "/en/countries/zz/",
        "/en/international-relations/no-such-section/",
        "/en/organizations/not-a-uuid/",
    ],
)
def test_what_does_not_exist_is_a_404(client, demo, path):
    assert client.get(path).status_code == 404


def test_the_introduction_is_the_seed_page_s_own(client, demo, text_of):
    paragraphs = seed_paragraphs()
    for paragraph in INTRODUCTION_EN:
        assert paragraph in paragraphs
    english = text_of(client.get("/en/international-relations/"))
    french = text_of(client.get("/fr/relations-internationales/"))
    assert "Today, the Auvergne-Rhône-Alpes region offers a dense network" in english
    assert "La région Auvergne-Rhône-Alpes offre aujourd’hui" in french


def test_staff_order_hide_and_feature(client, demo):
    SectionSetting.objects.update_or_create(key="events", defaults={"position": 0})
    SectionSetting.objects.update_or_create(key="delegations", defaults={"shown": False})
    sections = client.get("/en/international-relations.json").json()["sections"]
    keys = [s["key"] for s in sections]
    assert keys[0] == "events" and "delegations" not in keys
    events = sections[0]["entries"]
    symposium = Activity.objects.get(title_en__startswith="International symposium")
    FeaturedActivity.objects.create(activity=symposium, position=0)
    events = client.get("/en/international-relations.json").json()["sections"][0]["entries"]
    assert events[0]["title"] == symposium.title_en and events[0]["featured"] is True
    assert all(not e["featured"] for e in events[1:])
    home = client.get("/en/index.json").json()
    assert symposium.title_en in [e["title"] for e in home["featured"]]
    Introduction.objects.filter(page="international-relations", language="fr").update(
        text="Bienvenue.\n\nDeuxième paragraphe."
    )
    Introduction.objects.get(page="home", language="en").save()  # any save renews the cache
    french = client.get("/fr/relations-internationales.json").json()
    assert french["introduction"] == ["Bienvenue.", "Deuxième paragraphe."]


def test_sections_show_the_latest_and_link_to_all(client, demo):
    from passerelle.portal import composition

    base = Activity.objects.get(title_en="Senegalese delegation")
    for year in range(2000, 2000 + composition.SECTION_LIMIT + 3):
        base.pk, base.uid, base.title_en = None, uuid.uuid4(), f"Delegation of {year}"
        base.start = str(year)
        base.save()
        base = Activity.objects.get(pk=base.pk)
    section = next(
        s
        for s in client.get("/en/international-relations.json").json()["sections"]
        if s["key"] == "delegations"
    )
    assert len(section["entries"]) == composition.SECTION_LIMIT
    assert (
        section["entries"][-1]["title"] == f"Delegation of {2000 + composition.SECTION_LIMIT + 2}"
    )
    assert section["all_url"] == "/en/international-relations/delegations/"
    everything = client.get("/en/international-relations/delegations.json").json()
    assert len(everything["entries"]) == composition.SECTION_LIMIT + 4


def test_sitemap_lists_every_public_page_in_both_languages(client, demo):
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver/(sitemap-[a-z]+\.xml)</loc>", index)
    assert sorted(sections) == sorted(
        f"sitemap-{name}.xml"
        for name in ("pages", "organizations", "people", "activities", "topics", "countries")
    )
    body = "".join(client.get(f"/{section}").content.decode() for section in sections)
    clara = Organization.objects.get(acronym="CLARA")
    assert f"http://testserver/en/organizations/{clara.uid}/" in body
    assert f"http://testserver/fr/organisations/{clara.uid}/" in body
    assert 'hreflang="fr" href="http://testserver/fr/relations-internationales/"' in body
    assert "http://testserver/en/countries/it/" in body
    assert body.count("<url>") == 2 * (
        8
        + Organization.objects.count()
        + Person.objects.count()
        + Activity.objects.count()
        + Topic.objects.count()
        + len(client.get("/en/countries.json").json()["countries"])
    )


def test_html_in_records_is_text_everywhere(client, demo):
    clara = Organization.objects.get(acronym="CLARA")
    clara.name_en = '<script>alert("x")</script> & </script><b>'
    clara.save()
    for path in (
        f"/en/organizations/{clara.uid}/",
        "/en/international-relations/",
        "/en/network/",
        "/en/",
    ):
        body = client.get(path).content.decode()
        assert "<script>alert" not in body, path
        assert "</script><b>" not in body, path
    block = jsonld(client.get(f"/en/organizations/{clara.uid}/"))
    assert block["name"] == clara.name_en  # escaped in the page, intact for machines


def test_full_activity_lists_of_every_kind_of_record(client, demo):
    clara = Organization.objects.get(acronym="CLARA")
    brambilla = Person.objects.get(family_name="Brambilla")
    for path, name in (
        (f"/en/organizations/{clara.uid}/activities.json", "CLARA cancer cluster"),
        (f"/fr/personnes/{brambilla.uid}/activites.json", "Pr C. Brambilla"),
        ("/en/topics/lung-cancer/activities.json", "Lung cancer"),
        ("/en/countries/it/activities.json", "Italy"),
    ):
        document = client.get(path).json()
        assert document["of"]["name"] == name, path
        assert document["activities"] and document["pagination"]["number"] == 1
    organization = client.get(f"/en/organizations/{clara.uid}/activities.json").json()
    assert len(organization["activities"]) == 12
    assert organization["activities"][0]["roles"] == ["coordinator"]  # the latest: since 2011
    assert client.get("/en/countries/zz/activities/").status_code == 404


def test_long_lists_link_to_the_rest_in_html(client, demo, text_of):
    """The "all of them" links only show on big networks: render them once."""
    clara = Organization.objects.get(acronym="CLARA")
    for number in range(25):
        event = Activity.objects.create(
            kind="event", title_en=f"Seminar {number}", start="2011-03", visibility="public"
        )
        Participation.objects.create(activity=event, organization=clara, role="organizer")
    timeline = text_of(client.get("/en/timeline/"))
    assert "All 26 activities of 2011" in timeline
    organization = text_of(client.get(f"/en/organizations/{clara.uid}/"))
    assert "All 37 activities" in organization
    relations = client.get("/en/international-relations/").content.decode()
    assert "All the activities of “An international symposium with Spanish clusters”" in relations
    assert 'href="/en/international-relations/events/"' in relations
    french = text_of(client.get("/fr/chronologie/"))
    assert "Les 26 activités de 2011" in french


@pytest.mark.django_db
def test_the_filters_countries_are_read_as_codes_only(demo):
    """The map's and the network's filter lists the countries of public partners: one
    DISTINCT over the country codes, not over every place (Place's ordering added its
    name and region to it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from passerelle.portal.partnerships import filter_choices

    with CaptureQueriesContext(connection) as queries:
        countries = dict(filter_choices()["countries"])
    assert "FR" in countries and "IT" in countries
    distinct = [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    assert len(distinct) == 1 and "name_en" not in distinct[0], distinct
