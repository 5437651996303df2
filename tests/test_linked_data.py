"""Open data and linked data: records' IRIs, the portal's JSON-LD read offline, the public
dataset (JSON-LD, Turtle, CSV) and the SHACL shapes it keeps.

The demo and its dataset are built once for the module (an outer transaction rolled back
at its end; each test runs in a savepoint inside it), with records planted that must never
reach the open data: a confidential organization, a draft, an internal activity, a
confidential participation and a confidential place.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from passerelle.activities.models import Activity, Commitment, Participation
from passerelle.activities.vocabulary import Category, Kind
from passerelle.demo.loading import load_demo_network
from passerelle.ingest.linked.dataset import Builder
from passerelle.ingest.linked.iris import iri, iri_of
from passerelle.ingest.linked.tables import TABLES, write_table
from passerelle.ingest.linked.terms import INHERES_IN, ROLE_CLASS, SCHEMA, concept, ns
from passerelle.ingest.linked.validation import validate
from passerelle.ingest.linked.writers import write_dataset
from passerelle.portal.models import OpenDataSetting
from passerelle.registry.models import Organization, Person, Place, Topic

HIDDEN = "QXZW"  # in every planted record's name: it must appear in no file


def _plant() -> dict:
    """Records the open data must never show, beside public ones that point at them."""
    milan = Activity.objects.get(title_en__contains="with Milan")
    secret_place = Place.objects.create(name_en=f"{HIDDEN} town", country="IT")
    secret = Organization.objects.create(
        name=f"{HIDDEN} Confidential Institute", visibility="confidential", place=secret_place
    )
    secret.identifiers.create(scheme="ror", value="01cmnjq37")
    Participation.objects.create(activity=milan, organization=secret, role="partner")
    draft = Organization.objects.create(name=f"{HIDDEN} Draft Centre", draft=True)
    internal = Activity.objects.create(title_en=f"{HIDDEN} internal talks", kind=Kind.PROJECT)
    quiet = Organization.objects.create(name="Quiet Foundation", visibility="public")
    Participation.objects.create(
        activity=milan, organization=quiet, role="funder", visibility="confidential"
    )
    Participation.objects.create(activity=internal, organization=quiet, role="partner")
    return {
        "secret": secret,
        "draft": draft,
        "internal": internal,
        "quiet": quiet,
        "secret_place": secret_place,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo with planted records, and its dataset in every format, built once."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo_network(migrate=False)
            planted = _plant()
            builder = Builder()
            graph = builder.build()
            turtle, jsonld = io.StringIO(), io.StringIO()
            write_dataset(turtle, "turtle", Builder(builder.today))
            write_dataset(jsonld, "jsonld", Builder(builder.today))
            tables = {}
            for table in TABLES:
                out = io.StringIO()
                write_table(out, table)
                tables[table] = out.getvalue()
            yield {
                **planted,
                "graph": graph,
                "turtle": turtle.getvalue(),
                "jsonld": jsonld.getvalue(),
                "tables": tables,
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def site(world, db):
    return world


def _jsonld_block(response) -> dict:
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found, "no JSON-LD block"
    return json.loads(found.group(1))


def _offline_graph(block: dict) -> Graph:
    """The block as triples, read with no network: a remote context would read nothing."""
    assert isinstance(block["@context"], dict), "the context must be inlined"
    return Graph().parse(data=json.dumps(block), format="json-ld")


# ----------------------------------------------------------------------------- IRIs


def test_an_iri_sees_other_to_the_page_in_the_readers_language(client, site):
    clara = Organization.objects.get(acronym="CLARA")
    address = iri_of(clara).removeprefix("http://localhost:8000")
    assert address == f"/id/organization/{clara.uid}"
    english = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(address, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert english.status_code == french.status_code == 303
    assert english["Location"] == f"/en/organizations/{clara.uid}/"
    assert french["Location"] == f"/fr/organisations/{clara.uid}/"
    assert "Accept-Language" in english["Vary"]
    series = Activity.objects.filter(category=Category.EVENT_SERIES, visibility="public").first()
    person = Person.objects.filter(visibility="public").first()
    topic = Topic.objects.get(slug="lung-cancer")
    lyon = Place.objects.get(name_en="Lyon")
    commitment = Commitment.objects.filter(agreement__visibility="public").first()
    agreement = commitment.agreement
    for record, page in (
        (series, f"/en/activities/{series.uid}/"),
        (person, f"/en/people/{person.uid}/"),
        (topic, "/en/topics/lung-cancer/"),
        (lyon, "/en/countries/fr/"),
        (commitment, f"/en/activities/{agreement.uid}/"),
    ):
        response = client.get(iri_of(record).removeprefix("http://localhost:8000"))
        assert (response.status_code, response["Location"]) == (303, page), record
        assert client.get(page).status_code == 200


def test_a_hidden_record_answers_as_a_missing_one(client, site):
    missing = client.get(f"/id/organization/{uuid.uuid4()}")
    assert missing.status_code == 404
    for kind, record in (
        ("organization", site["secret"]),
        ("organization", site["draft"]),
        ("activity", site["internal"]),
        ("place", site["secret_place"]),
        ("series", Activity.objects.filter(kind=Kind.PROJECT, visibility="public").first()),
    ):
        response = client.get(f"/id/{kind}/{record.uid}")
        assert response.status_code == 404, (kind, record)
        assert response.content == missing.content
    assert client.get(f"/id/nothing/{uuid.uuid4()}").status_code == 404


def test_the_iri_base_is_the_setting_not_the_request(client, site, settings):
    settings.PASSERELLE_PUBLIC_URL = "https://passerelle.example.org/"
    clara = Organization.objects.get(acronym="CLARA")
    block = _jsonld_block(client.get(f"/en/organizations/{clara.uid}/", HTTP_HOST="testserver"))
    assert block["@id"] == f"https://passerelle.example.org/id/organization/{clara.uid}"


def test_unset_the_iri_base_is_the_address_serving_the_page(client, site, settings):
    """The demo served on another host or port names its records where they resolve, and
    a page cached for one address is not served with its IRIs to another."""
    settings.PASSERELLE_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["*"]
    clara = Organization.objects.get(acronym="CLARA")
    for host in ("relations.example.net:8443", "127.0.0.1:9000"):
        page = client.get(f"/en/organizations/{clara.uid}/", HTTP_HOST=host)
        assert _jsonld_block(page)["@id"] == f"http://{host}/id/organization/{clara.uid}"
    assert "localhost:8000" not in page.content.decode()
    assert iri_of(clara) == f"{settings.PASSERELLE_BASE_URL}/id/organization/{clara.uid}"


# ----------------------------------------------------------------------------- pages


def test_page_json_ld_names_nodes_by_iri_and_parses_offline(client, site):
    iarc = Organization.objects.get(acronym="IARC")
    ror = iarc.identifiers.get(scheme="ror").value
    graph = _offline_graph(_jsonld_block(client.get(f"/en/organizations/{iarc.uid}/")))
    node = URIRef(iri_of(iarc))
    assert len(graph) >= 5
    assert (node, RDF.type, SCHEMA.Organization) in graph
    assert (node, SCHEMA.sameAs, URIRef(f"https://ror.org/{ror}")) in graph
    assert (node, SCHEMA.location, None) in graph
    # the same organization on an activity's page is the same node
    milan = Activity.objects.get(title_en__contains="with Milan")
    graph = _offline_graph(_jsonld_block(client.get(f"/en/activities/{milan.uid}/")))
    activity = URIRef(iri_of(milan))
    members = set(graph.objects(activity, SCHEMA.member)) | set(
        graph.objects(activity, SCHEMA.funder)
    )
    assert URIRef(iri_of(Organization.objects.get(acronym="INCa"))) in members
    assert not any(str(o).startswith("_:") for o in members)
    brambilla = Person.objects.get(family_name="Brambilla")
    graph = _offline_graph(_jsonld_block(client.get(f"/en/people/{brambilla.uid}/")))
    assert (URIRef(iri_of(brambilla)), RDF.type, SCHEMA.Person) in graph


# ----------------------------------------------------------------------------- the dataset


def test_the_dataset_holds_public_records_only(site):
    graph = site["graph"]
    texts = [site["turtle"], site["jsonld"], *site["tables"].values()]
    for text in texts:
        assert HIDDEN not in text
        for key in ("secret", "draft", "internal", "secret_place"):
            assert str(site[key].uid) not in text, key
        assert "01cmnjq37" not in text  # the confidential organization's ROR id
    quiet = URIRef(iri_of(site["quiet"]))
    assert (quiet, RDF.type, SCHEMA.Organization) in graph  # public itself…
    assert not list(graph.subjects(INHERES_IN, quiet))  # …its confidential and internal roles not
    assert quiet not in set(graph.objects(None, SCHEMA.funder))
    assert str(site["quiet"].uid) not in site["tables"]["participations"]
    counts = {
        SCHEMA.Organization: Organization.objects.filter(visibility="public").count(),
        SCHEMA.Person: Person.objects.filter(visibility="public").count(),
        SCHEMA.Place: Place.objects.filter(visibility="public").count(),
    }
    for kind, count in counts.items():
        assert len(set(graph.subjects(RDF.type, kind))) == count, kind


def test_the_dataset_speaks_schema_org_vivo_and_its_own_terms(site):
    graph = site["graph"]
    pl = ns()
    series = Activity.objects.filter(category=Category.EVENT_SERIES, visibility="public")
    nodes = {URIRef(iri("series", s.uid)) for s in series}
    assert nodes and nodes == set(graph.subjects(RDF.type, SCHEMA.EventSeries))
    assert max(len(list(graph.subjects(SCHEMA.superEvent, node))) for node in nodes) >= 2
    assert list(graph.subjects(RDF.type, SCHEMA.MonetaryGrant)) or list(
        graph.subjects(RDF.type, SCHEMA.Project)
    )
    roles = list(graph.subjects(RDF.type, ROLE_CLASS))
    assert roles and all((r, pl.roleKind, None) in graph for r in roles)
    commitments = list(graph.subjects(RDF.type, pl.Commitment))
    assert commitments
    verdicts = {concept("verdict", v) for v in ("met", "on_track", "due", "late", "broken")}
    assert all(
        set(graph.objects(c, pl.verdict)) <= verdicts | {concept("verdict", "not_checkable")}
        for c in commitments
    )
    assert list(graph.subjects(RDF.type, pl.Delegation))
    same_as = list(graph.objects(None, SCHEMA.sameAs))
    for registry in (
        "https://ror.org/",
        "https://sws.geonames.org/",
        "http://id.nlm.nih.gov/mesh/",
    ):
        assert any(str(o).startswith(registry) for o in same_as), registry


def test_turtle_and_json_ld_are_the_same_graph(site):
    turtle = Graph().parse(data=site["turtle"], format="turtle")
    jsonld = Graph().parse(data=site["jsonld"], format="json-ld")
    assert len(turtle) == len(site["graph"]) > 500
    assert isomorphic(turtle, jsonld)
    assert isomorphic(turtle, site["graph"])


def test_the_demo_dataset_keeps_the_shapes(site):
    verdict = validate(site["graph"])
    assert verdict.conforms, verdict.report


def test_a_record_broken_on_purpose_fails_the_shapes(site):
    broken = Graph()
    broken += site["graph"]
    clara = URIRef(iri_of(Organization.objects.get(acronym="CLARA")))
    broken.remove((clara, SCHEMA.name, None))
    commitment = next(broken.subjects(RDF.type, ns().Commitment))
    broken.set((commitment, ns().verdict, Literal("kept, more or less")))
    lyon = URIRef(iri_of(Place.objects.get(name_en="Lyon")))
    address = broken.value(lyon, SCHEMA.address)
    broken.set((address, SCHEMA.addressCountry, Literal("France")))
    verdict = validate(broken)
    assert not verdict.conforms
    for node in (clara, commitment, lyon):
        assert str(node) in verdict.report


# ----------------------------------------------------------------------------- files


def test_export_command_writes_both_formats(site, tmp_path, capsys):
    for format, parser in (("turtle", "turtle"), ("jsonld", "json-ld")):
        path = tmp_path / f"dataset.{format}"
        call_command("export", format=format, output=str(path))
        graph = Graph().parse(path, format=parser)
        assert len(graph) == len(site["graph"])
        assert "links to other registries" in capsys.readouterr().err
    call_command("export", format="json", output=str(tmp_path / "all.json"))  # kept as it was
    assert json.loads((tmp_path / "all.json").read_text())["organizations"]


def test_csv_tables_for_people_who_do_not_read_rdf(site, tmp_path):
    call_command("export", format="csv", output=str(tmp_path))
    rows = list(csv.DictReader((tmp_path / "organizations.csv").open(encoding="utf-8")))
    assert len(rows) == Organization.objects.filter(visibility="public").count()
    clara = next(r for r in rows if r["acronym"] == "CLARA")
    assert clara["iri"] == iri_of(Organization.objects.get(acronym="CLARA"))
    iarc = next(r for r in rows if r["acronym"] == "IARC")
    assert (
        iarc["ror"] == Organization.objects.get(acronym="IARC").identifiers.get(scheme="ror").value
    )
    participations = list(csv.DictReader((tmp_path / "participations.csv").open(encoding="utf-8")))
    iris = {r["iri"] for r in csv.DictReader(io.StringIO(site["tables"]["activities"]))}
    assert participations and all(p["activity"] in iris for p in participations)
    assert {t: (tmp_path / f"{t}.csv").exists() for t in TABLES} == dict.fromkeys(TABLES, True)


def test_open_data_page_with_its_licence_and_downloads(client, site, settings, tmp_path):
    settings.PASSERELLE_OPEN_DATA_DIR = tmp_path
    setting = OpenDataSetting.current()
    setting.licence_name = "Licence Ouverte / Open Licence 2.0"
    setting.licence_url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    setting.save()
    english = client.get("/en/open-data/")
    french = client.get("/fr/donnees-ouvertes/")
    assert english.status_code == french.status_code == 200
    for response in (english, french):
        assert "Licence Ouverte / Open Licence 2.0" in response.content.decode()
    assert "Données ouvertes" in french.content.decode()
    for address, media_type in (
        ("/open-data/passerelle.ttl", "text/turtle"),
        ("/open-data/passerelle.jsonld", "application/ld+json"),
        ("/open-data/organizations.csv", "text/csv"),
    ):
        response = client.get(address)
        assert response.status_code == 200 and response["Content-Type"].startswith(media_type)
        body = b"".join(response.streaming_content).decode()
        assert HIDDEN not in body and body
        again = client.get(address)  # the same version: the file kept on disk
        assert b"".join(again.streaming_content).decode() == body
    assert len(list(tmp_path.iterdir())) == 3
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_every_own_term_is_dereferenceable_on_the_site(client, site):
    pl = str(ns())
    used = {
        str(term)
        for triple in site["graph"]
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(pl)
    }
    assert len(used) > 15
    redirect = client.get("/ns", HTTP_ACCEPT_LANGUAGE="fr")
    assert redirect.status_code == 303
    page = client.get(redirect["Location"]).content.decode()
    missing = [term for term in used if f'id="{term[len(pl) :]}"' not in page]
    assert not missing
    turtle = client.get("/ns", HTTP_ACCEPT="text/turtle")
    vocabulary = Graph().parse(data=turtle.content.decode(), format="turtle")
    assert (URIRef(pl + "Agreement"), RDFS.label, Literal("accord", lang="fr")) in vocabulary
    shapes = client.get("/ns/shapes")
    assert shapes.status_code == 200 and "sh:NodeShape" in shapes.content.decode()
