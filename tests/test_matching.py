"""Matchmaking: who should we work with on a theme, and why."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from passerelle.activities.models import Activity
from passerelle.registry.models import Organization, Person
from passerelle.search import indexing, semantic
from passerelle.search.matching import match

ANONYMOUS = AnonymousUser()


def names(found) -> list[str]:
    return [s.name for s in found.suggestions]


def test_experts_in_the_region_for_a_theme_come_with_their_reasons(demo):
    found = match("lung cancer biomarkers", user=ANONYMOUS, kind="person", scope="region")
    assert names(found)[0] == "Pr. C. Brambilla"
    best = found.suggestions[0]
    assert {"biomarkers", "lung-cancer"} <= set(best.shared_topics)
    assert best.evidence[0]["title"] == "Identifying biomarkers in lung cancer, with Milan"
    assert best.evidence[0]["role"] == "coordinator"
    assert best.path and best.reasons
    assert all(s.kind == "person" for s in found.suggestions)


def test_partners_abroad_for_a_theme(demo):
    found = match("nanomedicine partners in Spain", user=ANONYMOUS, scope="ES")
    # IBEC, in Barcelona and co-organizer of the nanomedicine symposium, may rank among them
    assert {"BioNanoMed", "Oncocat"} <= set(names(found)[:3]), names(found)
    assert all(s.country == "ES" for s in found.suggestions)
    abroad = match("dependence receptors colon cancer", user=ANONYMOUS, scope="abroad")
    assert names(abroad)[0] == "Cancer research cluster in Lausanne"
    assert all(s.country not in ("", "FR") for s in abroad.suggestions)


def test_the_regions_own_cluster_is_not_suggested_to_itself(demo):
    found = match("cancer", user=ANONYMOUS, limit=50)
    assert "CLARA cancer cluster" not in names(found)


def test_a_record_can_be_matched(demo):
    milan = Activity.objects.get(title_en__contains="with Milan")
    found = match(user=ANONYMOUS, record=milan, kind="person")
    assert names(found)[0] == "Pr. C. Brambilla"


def test_matching_never_suggests_what_the_user_may_not_read(demo):
    Person.objects.filter(family_name="Brambilla").update(visibility="confidential")
    indexing.reindex([Person])
    found = match("lung cancer biomarkers", user=ANONYMOUS, kind="person")
    assert "Pr. C. Brambilla" not in names(found)


def test_empty_input_says_what_to_give(demo):
    found = match("  ", user=ANONYMOUS)
    assert found.suggestions == [] and found.notes


def test_the_command_line_in_text_and_json(demo, capsys, tmp_path):
    call_command("match", "lung cancer biomarkers", "--kind", "person", "--region")
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(" 1. Pr. C. Brambilla (person, FR)")
    call = tmp_path / "call.txt"
    call.write_text("Nanomedicine in oncology: clinical applications of nanotechnology.")
    call_command("match", f"@{call}", "--country", "es", "--json", "--limit", "3")
    document = json.loads(capsys.readouterr().out)
    assert {s["name"] for s in document["suggestions"]} >= {"BioNanoMed", "Oncocat"}
    assert all(s["country"] == "ES" for s in document["suggestions"])
    for bad, message in [
        (["x", "--country", "Spain"], "ISO code"),
        (["x", "--limit", "0"], "1 to 100"),
        ([f"@{tmp_path / 'missing.txt'}"], "No such file"),
        (["x", "--user", "nobody"], "no such account"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("match", *bad)


def test_the_api_and_the_back_office_match(demo, client, staff_client):
    answer = client.get("/api/match", {"q": "lung cancer biomarkers", "kind": "person"})
    assert answer.status_code == 200
    assert answer.json()["suggestions"][0]["name"] == "Pr. C. Brambilla"
    assert client.get("/api/match", {"q": "x", "scope": "Europe"}).status_code == 422
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get("/api/match", {"record": unknown}).status_code == 404
    page = staff_client.get(
        "/en/admin/search/searchentry/match/", {"q": "nanomedicine", "scope": "abroad"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "BioNanoMed" in html and "Nanomedicine and oncology with Catalonia" in html
    found = staff_client.get("/en/admin/search/searchentry/", {"q": "Bramblla"})
    assert found.status_code == 200 and "Brambilla" in found.content.decode()


@pytest.mark.skipif(not semantic.available(), reason="the semantic extra is not installed")
def test_embeddings_bring_what_shares_no_word(demo):
    """ "Tumour nanoparticles" shares no word with the symposium on nanotechnology in oncology;
    the model, loaded from its package with the hub off, finds it through meaning."""
    assert semantic.compute() == Organization.objects.count() + Person.objects.count() + (
        Activity.objects.count()
        + semantic.SearchEntry.objects.filter(kind__in=["topic", "place"]).count()
    )
    assert semantic.compute() == 0  # unchanged text is not embedded again
    nearest = semantic.neighbours(
        "tumour nanoparticles", semantic.SearchEntry.objects.all(), limit=5
    )
    titles = [semantic.SearchEntry.objects.get(pk=pk).title for pk, _s in nearest]
    assert any("nano" in title.lower() for title in titles[:3]), titles


@pytest.mark.skipif(not semantic.available(), reason="the semantic extra is not installed")
def test_a_new_embedding_joins_the_vector_index_without_a_rebuild(demo):
    semantic.compute()
    index = semantic._index()
    before = len(index)
    milan = Organization.objects.get(name="Cancer research cluster in Milan")
    milan.name = "Tumour nanoparticles research cluster in Milan"
    milan.save()
    assert semantic.compute() == 1
    assert semantic._index() is index and len(index) == before  # replaced under its key
    nearest = [
        pk
        for pk, _s in semantic.neighbours(
            "tumour nanoparticles", semantic.SearchEntry.objects.all(), limit=3
        )
    ]
    assert semantic.SearchEntry.objects.get(kind="organization", object_id=milan.pk).pk in nearest


@pytest.mark.skipif(not semantic.available(), reason="the semantic extra is not installed")
def test_a_server_preloads_the_vector_index_and_hands_no_connection_to_its_workers(
    transactional_db, monkeypatch
):
    from django.db import connection

    from passerelle.core.management.commands import serve
    from passerelle.demo.loading import load_demo_network

    load_demo_network(migrate=False)
    semantic.compute()  # what the demo's commits did not already embed
    stored = semantic.Embedding.objects.count()
    semantic.forget_index()
    semantic.preload()
    assert len(semantic._index_cache["index"]) == stored > 50
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert connection.connection is None or in_memory  # Django keeps a test's in-memory one
    started = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: started.append(argv))
    monkeypatch.setenv("PASSERELLE_PRELOAD", "")  # put back as it was after the test
    call_command("serve", "--no-collectstatic", "--workers", "2")
    assert "--preload" in started[0] and serve.os.environ["PASSERELLE_PRELOAD"] == "1"


def test_a_hubs_ties_are_read_up_to_a_cap_and_tell_the_same(demo, monkeypatch):
    from passerelle.search import matching

    indexing.reindex([Organization, Person])  # the actors' activity counts

    def seen(found) -> list[tuple]:
        return [(s.name, round(s.signals["network"], 6), s.path) for s in found.suggestions]

    theme = dict(text="lung cancer biomarkers", user=ANONYMOUS)
    exact = seen(match(**theme))
    assert any(network > 0 for _n, network, _p in exact) and any(p for _n, _s, p in exact)
    monkeypatch.setattr(matching, "HUB", 0)  # everyone a hub: ties read by the capped query
    assert seen(match(**theme)) == exact  # no demo actor has 50 ties: nothing is cut
    monkeypatch.setattr(matching, "TIES_CAP", 1)
    capped = seen(match(**theme))
    assert {network for _n, network, _p in capped} <= {0.0, 1.0}
