"""The International relations page, written from the records: the seed's facts, both
languages, and nothing that is not public."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from passerelle.activities.models import Activity, Participation
from passerelle.registry.models import Organization, Person


@pytest.fixture
def page_en(client, demo, text_of):
    response = client.get("/en/international-relations/")
    assert response.status_code == 200
    return text_of(response)


#: Every fact of the seed page, as the page written from the records must state it.
SEED_FACTS = [
    "European Lymphoma Institute",
    "World Sarcoma Network",
    # Milan and Lausanne, supported by INCa
    "Identifying biomarkers in lung cancer",
    "coordinated by Pr. C. Brambilla in Grenoble",
    "Cancer research cluster in Milan",
    "supported by French National Cancer Institute (INCa)",
    "dependence receptors",
    "colon cancer",
    "coordinated by Dr. P. Mehlen in Lyon",
    "Cancer research cluster in Lausanne",
    # European programs
    "Nano2Life",
    "coordinated by Patrick Boisseau in Grenoble",
    "CONTICANET",
    "coordinated by Pr. Jean-Yves Blay in Lyon",
    "supported by European Commission",
    "European Cancer Observatory",
    "coordinated by International Agency for Research on Cancer",
    # Weizmann agreement and its key areas
    "between Auvergne-Rhône-Alpes Region, Weizmann Institute of Science and CLARA",
    "in 3 key areas",
    "development of joint scientific projects",
    "joint scientific conferences, held alternately in France and in Israel",
    "researcher, physician and student exchanges",
    # Senegal
    "a delegation from Senegal",
    "hosted by CLARA",
    "French healthcare system",
    # Germany
    "International Agency for Research on Cancer (IARC) and German Cancer Research Center (DKFZ)",
    "virally induced cancers",
    "in Lyon",
    # symposium and Scientific Days
    "jointly organized by CLARA cancer cluster, Grand Sud-Ouest cancer cluster and Institute "
    "for Bioengineering of Catalonia (IBEC)",
    "nanotechnology",
    "7th CLARA Scientific Days",
    "with BioNanoMed and Oncocat",
    "nanomedicine and oncology",
    # China
    "Collaborative program between Auvergne-Rhône-Alpes and Shanghai",
    "since 2011",
    "held alternately in Shanghai and Lyon; 3 editions",
    "cancer stem cells",
    "exchanges of PhD students, physicians, Master's students and residents",
    "between Cancer Research Center of Lyon (CRCL) and Shanghai Cancer Institute",
    "signed in 2013",
]


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_the_page_states_every_fact_of_the_seed(page_en, fact):
    assert fact.casefold() in page_en.casefold()  # a fact may open its sentence


def test_sections_follow_the_seed_page(client, demo):
    response = client.get("/en/international-relations/")
    titles = [s["title"] for s in response.context["page"]["sections"]]
    assert titles == [
        "International projects and networks",
        "Collaborative programs with other clusters",
        "European programs",
        "Partnership agreements",
        "Delegations",
        "Thematic collaborations",
        "Symposia and events",
        "Country programs",
    ]


def test_the_page_in_french(client, demo, text_of):
    response = client.get("/fr/relations-internationales/")
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="fr">' in response.content.decode()
    for fact in (
        "Relations internationales",
        "Programmes européens",
        "coordonné par Pr C. Brambilla à Grenoble",
        "Institut National du Cancer (INCa)",
        "depuis 2011",
        "organisé en alternance à Shanghai et Lyon",
        "signé en 2013",
        "Délégation sénégalaise",
    ):
        assert fact.casefold() in page.casefold(), fact
    with translation.override("fr"):
        assert reverse("portal:international-relations") == "/fr/relations-internationales/"


def test_nothing_that_is_not_public_shows(client, demo, text_of):
    inca = Organization.objects.get(acronym="INCa")
    inca.visibility = "confidential"
    inca.save()
    nano = Activity.objects.get(title_en="Nano2Life")
    nano.visibility = "internal"
    nano.save()
    blay = Person.objects.get(family_name="Blay")
    blay.visibility = "confidential"
    blay.save()
    secret = Participation.objects.get(
        activity__title_en__contains="with Lausanne", role="partner", organization__acronym="CLARA"
    )
    secret.visibility = "internal"
    secret.save()
    page = text_of(client.get("/en/international-relations/"))
    assert "National Cancer Institute" not in page and "INCa" not in page.replace("INCa.", "")
    assert "Nano2Life" not in page and "Boisseau" not in page
    assert "Blay" not in page and "CONTICANET" in page
    lausanne = page[page.index("with Lausanne") : page.index("European programs")]
    assert "CLARA" not in lausanne


def test_an_empty_network_says_so(client, db, text_of):
    page = text_of(client.get("/en/international-relations/"))
    assert "Nothing has been published yet." in page


def test_the_page_has_its_furniture(client, demo):
    body = client.get("/en/international-relations/").content.decode()
    assert 'href="#top"' in body and 'id="main"' in body
    assert 'href="/fr/relations-internationales/" hreflang="fr"' in body


def test_json_version_of_the_page(client, demo):
    response = client.get("/en/international-relations/?format=json")
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["language"] == "en"
    europe = next(s for s in document["sections"] if s["key"] == "europe")
    nano = next(e for e in europe["entries"] if e["title"] == "Nano2Life")
    assert nano["text"] == (  # the program's themes, as the demo's knowledge gives them
        "Coordinated by Patrick Boisseau in Grenoble; supported by European Commission (EC); "
        "on nanobiotechnology, nanomedicine and nanotechnology."
    )
    china = next(s for s in document["sections"] if s["key"] == "countries")["entries"][0]
    assert any(part["title"] == "Franco-Chinese seminars" for part in china["parts"])
    french = client.get("/fr/relations-internationales/?format=json").json()
    assert french["language"] == "fr" and french["sections"][0]["title"] == (
        "Projets et réseaux internationaux"
    )


def test_share_links_canonical_and_alternates_without_any_script(client, demo):
    body = client.get("/en/international-relations/").content.decode()
    assert "<script" not in body
    assert '<link rel="canonical" href="http://testserver/en/international-relations/">' in body
    assert (
        '<link rel="alternate" hreflang="fr" '
        'href="http://testserver/fr/relations-internationales/">'
    ) in body
    for start in (
        "mailto:?subject=International%20relations&amp;body=http%3A%2F%2Ftestserver",
        "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver",
        "https://x.com/intent/post?text=",
        "https://mastodonshare.com/?text=",
        "https://bsky.app/intent/compose?text=International%20relations%20http",
    ):
        assert f'href="{start}' in body, start
    assert '<meta property="og:title" content="International relations">' in body
