"""Insights: the tie graph, its measures, the Gould–Fernandez brokerage counted by hand, the
stored results, the command and the pages (insights/, portal/network_insights.py)."""

from __future__ import annotations

import json
import random

import igraph
import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from passerelle.activities.models import Activity, Participation
from passerelle.insights import freshness, store
from passerelle.insights.brokerage import ROLES, as_mapping, bridged, brokerage
from passerelle.insights.graph import read_network, scope_reader, tie_graph
from passerelle.insights.measures import measure
from passerelle.insights.wording import dominant_role, role_sentence
from passerelle.registry.models import Organization, Place

# -- brokerage, against networks counted by hand


def _graph(names: str, ties: list[str]) -> tuple[igraph.Graph, dict[str, int]]:
    index = {name: i for i, name in enumerate(names.split())}
    graph = igraph.Graph(n=len(index), edges=[(index[a], index[b]) for a, b in ties])
    return graph, index


def _roles(graph, index, groups: dict[str, int], name: str) -> dict[str, int]:
    counts = brokerage(graph, [groups[n] for n in sorted(index, key=index.get)])
    return as_mapping(counts[index[name]])


def test_a_regional_broker_between_two_partners_abroad_and_a_member():
    """B (in the region) is tied to A1 and A2 (outside) and to C (in the region); no other tie.

    By hand, B's open pairs and their two-paths (both orientations):
    - {A1, A2}: both outside, B inside → A1→B→A2 and A2→B→A1: itinerant 2;
    - {A1, C}: A1→B→C gatekeeper (A outside, B and C together), C→B→A1 representative;
    - {A2, C}: the same, gatekeeper 1, representative 1.
    So B: coordinator 0, gatekeeper 2, representative 2, itinerant 2, liaison 0. The leaves
    have one partner each: no two-path through them. B links both partners outside (A1, A2)
    to the region's member C, and C to them: 2 outside, 1 inside.
    """
    graph, index = _graph("B A1 A2 C", [("B", "A1"), ("B", "A2"), ("B", "C")])
    region = {"B": 1, "A1": 0, "A2": 0, "C": 1}
    assert _roles(graph, index, region, "B") == {
        "coordinator": 0, "gatekeeper": 2, "representative": 2, "itinerant": 2, "liaison": 0
    }  # fmt: skip
    for leaf in ("A1", "A2", "C"):
        assert sum(_roles(graph, index, region, leaf).values()) == 0
    linked = bridged(graph, [bool(region[n]) for n in ["B", "A1", "A2", "C"]])
    assert linked[index["B"]].tolist() == [2, 1]


def test_a_coordinator_does_not_count_a_pair_already_tied():
    """B, C1, C2, C3 all in the region; B is tied to each C, and C1–C2 are tied.

    By hand: B's pairs {C1, C2} (closed: they are tied, not counted), {C1, C3} and {C2, C3}
    (open): 2 pairs × 2 orientations = coordinator 4, nothing else. C1's partners B and C2
    are tied to each other: C1 brokers nothing; nor C2; C3 has one partner.
    """
    graph, index = _graph("B C1 C2 C3", [("B", "C1"), ("B", "C2"), ("B", "C3"), ("C1", "C2")])
    region = dict.fromkeys(index, 1)
    assert _roles(graph, index, region, "B") == {
        "coordinator": 4, "gatekeeper": 0, "representative": 0, "itinerant": 0, "liaison": 0
    }  # fmt: skip
    for other in ("C1", "C2", "C3"):
        assert sum(_roles(graph, index, region, other).values()) == 0


def test_a_liaison_between_countries_and_an_itinerant_within_one():
    """Countries as the groups: B (France) is tied to X (Italy), Y (Spain), Z (Italy); no
    other tie.

    By hand, B's pairs: {X, Y}: three countries → liaison 2; {Y, Z}: liaison 2; {X, Z}: both
    Italian, B not → itinerant 2. So liaison 4, itinerant 2. With the region as the group
    (B in it, X, Y, Z not), all three pairs are of outsiders: itinerant 6 and no liaison,
    which two groups cannot have.
    """
    graph, index = _graph("B X Y Z", [("B", "X"), ("B", "Y"), ("B", "Z")])
    country = {"B": 0, "X": 1, "Y": 2, "Z": 1}
    assert _roles(graph, index, country, "B") == {
        "coordinator": 0, "gatekeeper": 0, "representative": 0, "itinerant": 2, "liaison": 4
    }  # fmt: skip
    region = {"B": 1, "X": 0, "Y": 0, "Z": 0}
    assert _roles(graph, index, region, "B")["itinerant"] == 6
    assert _roles(graph, index, region, "B")["liaison"] == 0


def test_a_triangle_closes_a_pair_and_the_broker_outside_is_a_representative():
    """A (outside) – B (region) – C (region), A–C tied (a triangle), and B–D (outside);
    E (outside) is tied to D and to C.

    By hand, at B: {A, C} closed; {A, D} both outside, B in → itinerant 2; {C, D} one in,
    one out → gatekeeper 1, representative 1. At C (partners A, B, E): {A, B} closed;
    {A, E} both outside → itinerant 2; {B, E} → gatekeeper 1, representative 1. At D (outside;
    partners B, E, not tied): {B, E} one in its group (E), one not → gatekeeper 1,
    representative 1. At E (outside; partners C, D, not tied): the same, 1 and 1. A's partners
    B and C are tied: nothing.
    B links D (not A, tied to C) to C: 1 outside, 1 inside.
    """
    names = "A B C D E"
    ties = [("A", "B"), ("B", "C"), ("A", "C"), ("B", "D"), ("D", "E"), ("E", "C")]
    graph, index = _graph(names, ties)
    region = {"A": 0, "B": 1, "C": 1, "D": 0, "E": 0}
    expected = {
        "A": (0, 0, 0, 0, 0),
        "B": (0, 1, 1, 2, 0),
        "C": (0, 1, 1, 2, 0),
        "D": (0, 1, 1, 0, 0),
        "E": (0, 1, 1, 0, 0),
    }
    for name, counts in expected.items():
        assert _roles(graph, index, region, name) == dict(zip(ROLES, counts, strict=True)), name
    linked = bridged(graph, [bool(region[n]) for n in names.split()])
    assert linked[index["B"]].tolist() == [1, 1]
    row = {"brokerage": _roles(graph, index, region, "D"), "in_region": False, "degree": 2}
    row.update(links_outside=0, links_inside=1)
    assert dominant_role(row) == "representative"
    assert role_sentence(row).startswith("a representative:")


def test_brokerage_agrees_with_walking_every_two_path():
    """On random graphs, the counts from group sizes and triangles equal a plain walk over
    every ordered two-path A → B → C (both orientations, as the module docstring says)."""
    for seed in range(8):
        rng = random.Random(seed)
        graph = igraph.Graph.Erdos_Renyi(n=25, p=rng.uniform(0.05, 0.4))
        groups = [rng.randrange(3) for _ in range(25)]
        walked = np.zeros((25, 5), dtype=int)
        neighbours = [set(graph.neighbors(v)) for v in range(25)]
        for b in range(25):
            for a in neighbours[b]:
                for c in neighbours[b] - {a} - neighbours[a]:
                    ga, gb, gc = groups[a], groups[b], groups[c]
                    role = (
                        0 if ga == gb == gc else 1 if gb == gc else 2 if ga == gb else
                        3 if ga == gc else 4
                    )  # fmt: skip
                    walked[b, role] += 1
        assert (brokerage(graph, groups) == walked).all(), seed


# -- the graph from the records, as each reader reads them


@pytest.fixture
def small_world(db):
    """X and Y (public) in a public project and an internal one; Z (confidential) in the
    public project too; W (public) tied to X by a confidential participation."""
    lyon = Place.objects.create(name_en="Lyon", country="FR", visibility="public")
    milan = Place.objects.create(name_en="Milan", country="IT", visibility="public")
    x = Organization.objects.create(name="Xlab", place=lyon, in_region=True, visibility="public")
    y = Organization.objects.create(name="Ylab", place=milan, visibility="public")
    z = Organization.objects.create(name="Zlab ZYXQ", place=milan, visibility="confidential")
    w = Organization.objects.create(name="Wlab", place=milan, visibility="public")
    open_project = Activity.objects.create(
        kind="project", title_en="Open", start="2021", visibility="public"
    )
    inner = Activity.objects.create(
        kind="project", title_en="Inner", start="2022", end="2023", visibility="internal"
    )
    for activity, actors in ((open_project, (x, y, z)), (inner, (x, y))):
        for actor in actors:
            Participation.objects.create(activity=activity, organization=actor, role="partner")
    Participation.objects.create(
        activity=open_project, organization=w, role="partner", visibility="confidential"
    )
    return {"x": x, "y": y, "z": z, "w": w}


def _ties(graph) -> dict[tuple[str, str], int]:
    names = {o.pk: o.name for o in Organization.objects.all()}
    return {
        tuple(sorted((names[graph.actors[e.source].pk], names[graph.actors[e.target].pk]))): e[
            "weight"
        ]
        for e in graph.graph.es
    }


def test_the_graph_holds_what_the_reader_reads(small_world):
    public = tie_graph(read_network(scope_reader("public")))
    assert _ties(public) == {("Xlab", "Ylab"): 1}
    staff = tie_graph(read_network(scope_reader("staff")))
    assert _ties(staff) == {("Xlab", "Ylab"): 2}  # the internal project too; Z and W never
    admin = get_user_model().objects.create_superuser("root", "r@x.org", "pw-root-123")
    everything = tie_graph(read_network(admin))
    assert _ties(everything)[("Xlab", "Ylab")] == 2
    assert ("Wlab", "Xlab") in _ties(everything) and ("Xlab", "Zlab ZYXQ") in _ties(everything)


def test_a_year_keeps_the_activities_under_way(small_world):
    network = read_network(scope_reader("staff"))
    assert _ties(tie_graph(network, 2021)) == {("Xlab", "Ylab"): 1}
    assert _ties(tie_graph(network, 2023)) == {("Xlab", "Ylab"): 1}  # 2022 to 2023
    assert _ties(tie_graph(network, 2024)) == {}
    assert network.years() == [2021, 2022, 2023]


# -- measures on the demo, stored, and read back


@pytest.fixture
def measured(demo):
    return store.compute("public")


def test_measures_on_the_demo_then_the_command_then_a_stale_result(measured, settings, capsys):
    """One demo for three stories (the demo costs more than the measures): the measures,
    the command's JSON and errors, and a stale result read while a new one is asked for."""
    _measures_on_the_demo(measured)
    _the_command_json_and_its_errors(capsys)
    _a_stale_result_while_a_new_one_is_asked_for(measured, settings)


def _measures_on_the_demo(measured):
    """The cluster is its network's broker: first, most partners, the largest betweenness,
    the lowest constraint; communities from a fixed seed, the same twice."""
    clara = Organization.objects.get(acronym="CLARA")
    first = measured.actors.order_by("rank").first()
    assert first.organization_id == clara.pk
    rows = list(measured.actors.all())
    assert first.degree == max(r.degree for r in rows) and first.degree >= 10
    assert first.betweenness == max(r.betweenness for r in rows) > 0
    assert first.constraint == min(r.constraint for r in rows if r.constraint is not None)
    assert first.brokerage["gatekeeper"] == first.brokerage["representative"] > 0
    summary = measured.summary
    assert summary["betweenness_exact"] and 0 < summary["modularity"] < 1
    assert summary["communities"] == max(r.community for r in rows) >= 2
    again = measure(tie_graph(read_network(scope_reader("public"))))
    assert sorted(again.community) == sorted(r.community for r in rows)
    assert summary["growth"] and {"new_partners", "lost_partners", "collaboration"} <= set(
        summary["growth"][0]
    )


def _a_stale_result_while_a_new_one_is_asked_for(measured, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert freshness.current("public").stale is False
    Organization.objects.filter(acronym="CLARA").first().save()  # any change renews the version
    found = freshness.current("public")
    assert found.stale and found.queued and found.measures.pk == measured.pk
    assert freshness.request_recomputation("public", 0) is False  # once per version


def _the_command_json_and_its_errors(capsys):
    call_command("insights", "--json", "--scope", "public")
    actors = json.loads(capsys.readouterr().out)
    assert actors[0]["name"] == "CLARA cancer cluster"
    keys = {"id", "name", "country", "degree", "betweenness", "constraint", "community"}
    assert all(keys <= set(a) for a in actors)
    assert set(actors[0]["brokerage"]) == set(ROLES)
    call_command("insights", "--year", "2011", "--limit", "3")
    assert "actors" in capsys.readouterr().out
    for bad, said in (
        (["--year", "20x"], "--year '20x'"),
        (["--scope", "everyone"], "--scope 'everyone'"),
        (["--user", "nobody"], "--user 'nobody'"),
        (["--limit", "0"], "--limit '0'"),
    ):
        with pytest.raises(CommandError, match=said):
            call_command("insights", *bad)


# -- the pages


@pytest.fixture
def confidential_partner(demo):
    """A confidential organization in a public activity with the cluster."""
    secret = Organization.objects.create(name="Hidden institute ZYXQ", visibility="confidential")
    activity = Activity.objects.filter(visibility="public", participations__isnull=False).first()
    Participation.objects.create(activity=activity, organization=secret, role="partner")
    return secret


def test_the_pages_in_both_languages_without_what_their_readers_may_not_all_read(
    confidential_partner, staff_client, text_of
):
    """The staff page (what every member of staff reads: not the confidential partner,
    even for an administrator) and the public network page, in English and French."""
    _the_staff_page(staff_client, text_of)
    _the_public_network_page(Client(), text_of)


def _the_staff_page(staff_client, text_of):
    page = staff_client.get("/en/admin/insights/")
    assert page.status_code == 200
    text = text_of(page)
    assert "CLARA cancer cluster" in text and "Brokers" in text and "Communities" in text
    assert "ZYXQ" not in page.content.decode()
    french = staff_client.get("/fr/admin/insights/")
    assert french.status_code == 200 and "Courtiers" in text_of(french)
    data = staff_client.get("/en/admin/insights/?format=json").json()
    assert data["brokers"][0]["name"] == "CLARA cancer cluster"
    assert "ZYXQ" not in json.dumps(data)


def test_the_staff_page_is_for_staff(db):
    assert Client().get("/en/admin/insights/").status_code == 302  # to the sign-in


def _the_public_network_page(client, text_of):
    page = client.get("/en/network/")
    body = page.content.decode()
    assert page.status_code == 200 and "ZYXQ" not in body
    assert 'style="fill:#E69F00"' in body  # the largest community's colour
    text = text_of(page)
    assert "Community 1" in text and "Role in the network" in text
    data = client.get("/en/network/?format=json").json()
    clara = next(n for n in data["nodes"] if n["acronym"] == "CLARA")
    assert clara["community"] == 1 and clara["role_sentence"].startswith("an itinerant broker")
    assert clara["role_sentence"] in text  # the picture's facts in the table
    french = text_of(client.get("/fr/reseau/"))
    assert "Communauté 1" in french and "Rôle dans le réseau" in french


def test_betweenness_is_estimated_from_fewer_sources_as_the_graph_grows():
    from passerelle.insights.measures import PIVOTS, pivots_for

    assert pivots_for(10_000) == PIVOTS
    assert pivots_for(2_000_000) == 8  # the large set: one tree is half a second
