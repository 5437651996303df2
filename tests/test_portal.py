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
    "European Lymphoma Institute (ELI)",
    "World Sarcoma Network (WSN)",
    # Milan and Lausanne, supported by INCa
    "Collaborative programs with Milan and Lausanne",
    "Two collaborative projects are supported by the French National Cancer Institute (INCa)",
    "Identifying biomarkers in lung cancer",
    "coordinated by Pr. C. Brambilla in Grenoble",
    "Cancer research cluster in Milan",
    "dependence receptors",
    "colon cancer",
    "coordinated by Dr. P. Mehlen in Lyon",
    "Cancer research cluster in Lausanne",
    # European programs
    "and greater recognition in Europe",
    "Three flagship research and organization programs are supported by the European Community",
    "Nano2Life",
    "coordinated by Patrick Boisseau in Grenoble",
    "CONTICANET",
    "coordinated by Pr. Jean-Yves Blay in Lyon",
    "supported by the European Commission (EC)",
    "European Cancer Observatory",
    "coordinated by the International Agency for Research on Cancer (IARC)",
    # Weizmann agreement and its key areas
    "Productive collaboration between the Weizmann Institute (Israel) and the "
    "Auvergne-Rhône-Alpes Region",
    "The Auvergne-Rhône-Alpes Region, the Weizmann Institute of Science in Rehovot, Israel, "
    "and CLARA signed this partnership agreement",
    "in three key areas",
    "development of joint scientific projects",
    "joint scientific conferences, held alternately in France and in Israel",
    "researcher, physician and student exchanges",
    # Senegal
    "A Senegalese delegation benefits from CLARA expertise",
    "hosted a delegation from Senegal, which came to study the organization of the French "
    "healthcare system",
    # Germany
    "Infectiology at the center of collaboration with Germany",
    "IARC and the German Cancer Research Center (DKFZ, the German reference in cancer research)",
    "virally induced cancers",
    "in Lyon",
    # symposium and Scientific Days
    "An international symposium with Spanish clusters",
    "jointly organized by CLARA, the Grand Sud-Ouest cancer cluster and the Institute for "
    "Bioengineering of Catalonia (IBEC)",
    "nanotechnology",
    "during the 7th CLARA Scientific Days, with BioNanoMed and Oncocat",
    "nanomedicine and oncology",
    # China
    "The CLARA cancer cluster gets active in China",
    "Collaborative program between Auvergne-Rhône-Alpes and Shanghai",
    "since 2011",
    "Three Franco-Chinese seminars have been held, alternately in Shanghai and Lyon",
    "cancer stem cells",
    "exchanges of PhD students, physicians, Master's students and residents",
    "The Cancer Research Center of Lyon (CRCL) and the Shanghai Cancer Institute signed this "
    "partnership agreement in 2013",
]

#: What the page must never say again: fragments, filler and things said twice.
NOT_SAID = ["Edition 1.", "Edition 2.", "On cancer stem cells.", "supported by INCa", "; supported"]


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_the_page_states_every_fact_of_the_seed(page_en, fact):
    assert fact.casefold() in page_en.casefold()  # a fact may open its sentence


def test_the_page_says_nothing_twice_and_no_fragment(page_en):
    body = page_en[page_en.index("International projects and networks") :]
    for fragment in NOT_SAID:
        assert fragment not in body, fragment


def test_sections_follow_the_seed_page(client, demo):
    response = client.get("/en/international-relations/")
    titles = [s["title"] for s in response.context["page"]["sections"]]
    assert titles == [
        "International projects and networks",
        "Collaborative programs with Milan and Lausanne…",
        "… and greater recognition in Europe",
        "Productive collaboration between the Weizmann Institute (Israel) and the "
        "Auvergne-Rhône-Alpes Region",
        "A Senegalese delegation benefits from CLARA expertise",
        "Infectiology at the center of collaboration with Germany",
        "An international symposium with Spanish clusters",
        "The CLARA cancer cluster gets active in China",
    ]


def test_the_page_in_french(client, demo, text_of):
    response = client.get("/fr/relations-internationales/")
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="fr">' in response.content.decode()
    for fact in (
        "Relations internationales",
        "… et une reconnaissance accrue en Europe",
        "coordonné par le Pr C. Brambilla à Grenoble",
        "soutenus par l’Institut national du cancer (INCa)",
        "coordonné par le CLARA depuis 2011",
        "Trois séminaires franco-chinois ont été organisés, en alternance à Shanghai et à Lyon",
        "ont signé cet accord de partenariat en 2013",
        "Une délégation venue du Sénégal a été accueillie par le CLARA",
        "l’Institut Weizmann de Rehovot (Israël)",
        "le Centre international de recherche sur le cancer (CIRC)",
        "la Commission européenne (CE)",
        "l’Institut de bioingénierie de Catalogne (IBEC)",
        "(DKFZ, la référence allemande de la recherche sur le cancer)",
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
    assert "National Cancer Institute" not in page and "INCa" not in page
    assert "Nano2Life" not in page and "Boisseau" not in page
    assert "Blay" not in page and "CONTICANET" in page
    lausanne = page[page.index("with Lausanne") : page.index("greater recognition in Europe")]
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
    assert nano["text"] == (
        "This flagship program on nanobiotechnology, nanomedicine and nanotechnology is "
        "coordinated by Patrick Boisseau in Grenoble and supported by the European Commission "
        "(EC)."
    )
    china = next(s for s in document["sections"] if s["key"] == "countries")["entries"][0]
    assert any(part["title"] == "Franco-Chinese seminars" for part in china["parts"])
    french = client.get("/fr/relations-internationales/?format=json").json()
    assert french["language"] == "fr" and french["sections"][0]["title"] == (
        "Projets et réseaux internationaux"
    )
    assert french["sections"][1]["lede"] == (
        "Deux projets collaboratifs sont soutenus par l’Institut national du cancer (INCa)."
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


def test_the_map_draws_no_band_across_it_where_a_country_crosses_the_antimeridian():
    """Russia's Chukotka and Fiji cross ±180°: each side is drawn at its own edge of the
    map, never joined by a straight line across the Arctic or the Pacific."""
    import itertools
    import re

    from passerelle.portal import geography

    shapes = {shape.code: shape.path for shape in geography.country_shapes()}
    if not shapes:
        pytest.skip("the world atlas (npm world-atlas) is not installed")
    for code, path in shapes.items():
        for ring in re.findall(r"M([^MZ]+)Z", path):
            xs = [float(point.split(",")[0]) for point in ring.split("L")]
            widest = max((abs(a - b) for a, b in itertools.pairwise(xs)), default=0)
            assert widest < 200, (code, widest)
    russia = [float(x) for x in re.findall(r"[ML](-?[\d.]+),", shapes["RU"])]
    # drawn at both edges: Chukotka beyond 180° at the left one too (the frame cuts the rest)
    assert any(0 < x < 200 for x in russia) and max(russia) > 850
    assert geography._across_the_antimeridian([(10, 0), (20, 0), (10, 5)]) == [
        [(10, 0), (20, 0), (10, 5)]
    ]
