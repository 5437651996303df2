"""Matchmaking that knows the network: networks to join and programs to lean on are
suggested beside people and organizations, each with reasons in plain words in the
reader's language, and only from what the reader may read."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from passerelle.activities.models import Activity, Participation
from passerelle.registry.models import Organization
from passerelle.search import indexing
from passerelle.search.matching import match

ANONYMOUS = AnonymousUser()


def by_name(found) -> dict:
    return {s.name: s for s in found.suggestions}


def test_a_theme_brings_the_network_the_cluster_belongs_to_and_the_program_to_lean_on(demo):
    found = by_name(match("sarcoma", user=ANONYMOUS))
    network, program = found["World Sarcoma Network"], found["CONTICANET"]
    assert (network.group, program.group) == ("network", "program")
    assert "sarcoma" in network.shared_topics
    assert any("CLARA is a member" in r for r in network.reasons), network.reasons
    assert any("coordinated by Pr. Jean-Yves Blay" in r for r in program.reasons)
    # a person of the region counts as the region taking part, not only its organizations
    assert any("the region takes part" in r and "Blay (coordinator)" in r for r in program.reasons)
    assert found["Pr. Jean-Yves Blay"].group == "person"
    milan = by_name(match("lung cancer biomarkers", user=ANONYMOUS))[
        "Identifying biomarkers in lung cancer, with Milan"
    ]
    assert any("the region takes part" in r and "CLARA (partner)" in r for r in milan.reasons)


def test_the_reasons_are_in_the_readers_language(demo):
    with translation.override("fr"):
        found = by_name(match("sarcome", user=ANONYMOUS))
    network, program = found["Réseau mondial du sarcome"], found["CONTICANET"]
    assert any("un réseau auquel la région appartient : CLARA" in r for r in network.reasons)
    assert any(r.startswith("un programme coordonné par") and "Blay" in r for r in program.reasons)
    assert any("Sarcome" in r for r in network.reasons)


def test_one_group_at_a_time(demo):
    networks = match("lymphoma sarcoma", user=ANONYMOUS, kind="network")
    assert {s.name for s in networks.suggestions} == {
        "European Lymphoma Institute",
        "World Sarcoma Network",
    }
    programs = match("nanotechnology", user=ANONYMOUS, kind="program")
    assert "Nano2Life" in {s.name for s in programs.suggestions}
    kinds = set(
        Activity.objects.filter(uid__in=[s.uid for s in programs.suggestions]).values_list(
            "kind", flat=True
        )
    )
    assert kinds <= {"program", "project"}
    assert all(s.group == "program" for s in programs.suggestions)


def _iarc_joins_wsn(visibility: str) -> None:
    iarc = Organization.objects.get(acronym="IARC")
    wsn = Organization.objects.get(acronym="WSN")
    membership = Activity.objects.create(
        kind="membership",
        category="network_membership",
        title_en="IARC in the World Sarcoma Network",
        visibility=visibility,
    )
    Participation.objects.create(activity=membership, organization=iarc, role="member")
    Participation.objects.create(activity=membership, organization=wsn, role="host")
    indexing.reindex()


def test_a_member_of_a_network_says_so(demo):
    _iarc_joins_wsn("public")
    iarc = by_name(match("sarcoma registries", user=ANONYMOUS, kind="organization"))[
        "International Agency for Research on Cancer"
    ]
    assert any(
        re.fullmatch(r"member of the WSN network \(.*Sarcoma.*\)", r) for r in iarc.reasons
    ), iarc.reasons
    with translation.override("fr"):
        iarc = by_name(match("sarcoma registries", user=ANONYMOUS, kind="organization"))[
            "Centre international de recherche sur le cancer"
        ]
    assert any(r.startswith("membre du réseau WSN (") for r in iarc.reasons), iarc.reasons


def test_what_the_reader_may_not_read_is_neither_suggested_nor_said(demo, staff_client):
    _iarc_joins_wsn("confidential")
    Activity.objects.filter(acronym="CONTICANET").update(visibility="confidential")
    Organization.objects.filter(acronym="ELI").update(visibility="confidential")
    indexing.reindex()
    found = match("sarcoma lymphoma registries", user=ANONYMOUS, limit=30)
    names = {s.name for s in found.suggestions}
    assert "CONTICANET" not in names and "European Lymphoma Institute" not in names
    reasons = " ".join(r for s in found.suggestions for r in s.reasons)
    assert "member of the WSN network" not in reasons and "CONTICANET" not in reasons
    assert "World Sarcoma Network" in names  # public, and its public membership still said
    assert any("CLARA is a member" in r for r in by_name(found)["World Sarcoma Network"].reasons)
    everything = get_user_model().objects.create_superuser("chief", "chief@example.org", "x")
    found = match("sarcoma lymphoma registries", user=everything, limit=30)
    assert {"CONTICANET", "European Lymphoma Institute"} <= {s.name for s in found.suggestions}
    assert "member of the WSN network" in " ".join(r for s in found.suggestions for r in s.reasons)


def test_find_partners_in_french_shows_the_fit_in_french_and_unlocalized_in_markup(
    demo, staff_client
):
    page = staff_client.get("/fr/admin/search/searchentry/match/", {"q": "sarcome"})
    assert page.status_code == 200
    html = page.content.decode()
    cells = re.findall(r'data-fit="([^"]*)">Adéquation : ([^<]*)</span>', html)
    assert cells
    for attribute, text in cells:
        assert re.fullmatch(r"\d\.\d+", attribute) and re.fullmatch(r"\d,\d\d", text), cells
    # the network under its French name, said to be one, with its reasons in French
    assert "Réseau mondial du sarcome</a>\n          · <span>réseau</span>" in html
    assert "un réseau auquel la région appartient" in html
    assert not re.search(r"\(\d\.\d\d\)", html)  # a similarity written the English way
