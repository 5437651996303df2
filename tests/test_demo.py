"""The demo network holds every fact of the seed page, and only what the page or ROR states."""

from __future__ import annotations

import datetime
import gzip
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from passerelle.activities.models import Activity
from passerelle.demo.document import demo_document
from passerelle.demo.network import SEED_PAGE
from passerelle.ingest.interchange import export_document
from passerelle.registry.models import Organization


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_shipped_seed_page_is_the_shared_one(shared_dir):
    shared = shared_dir / "seed" / "international-relations.txt"
    if not shared.exists():
        pytest.skip("shared/ is not beside the checkout")
    assert SEED_PAGE.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_every_quotation_is_a_sentence_of_the_page():
    page = _normalize(SEED_PAGE.read_text(encoding="utf-8"))
    document = demo_document()
    quotations = [
        citation["quotation"]
        for section in ("places", "topics", "organizations", "people", "activities")
        for record in document[section]
        for citation in record.get("sources", [])
        if "quotation" in citation
    ]
    assert len(quotations) > 40
    for quotation in quotations:
        assert _normalize(quotation) in page, quotation


def test_every_record_cites_a_source(demo):
    document = export_document()
    for section in ("organizations", "people", "activities", "topics", "places"):
        for record in document[section]:
            assert record.get("sources"), f"{section}: {record}"


@pytest.fixture
def exported(demo):
    return export_document()


def _activity(exported, title_part: str) -> dict:
    matches = [a for a in exported["activities"] if title_part in a["title_en"]]
    assert len(matches) == 1, (title_part, [a["title_en"] for a in matches])
    return matches[0]


def _roles(activity: dict) -> set[tuple[str, str]]:
    return {(p["actor_name"], p["role"]) for p in activity.get("participations", [])}


def _org(exported, name: str) -> dict:
    return next(o for o in exported["organizations"] if o["name"] == name)


def test_the_networks_eli_and_wsn_and_the_clusters_memberships(exported):
    """ELI and WSN are networks (organizations of kind network); the cluster's taking part
    in them is a membership, the cluster a member, the network its host."""
    for name, acronym, title in [
        ("European Lymphoma Institute", "ELI", "European Lymphoma"),
        ("World Sarcoma Network", "WSN", "World Sarcoma"),
    ]:
        network = _org(exported, name)
        assert (network["kind"], network["acronym"]) == ("network", acronym)
        membership = _activity(exported, title)
        assert (membership["kind"], membership["category"]) == ("membership", "network_membership")
        assert _roles(membership) == {("CLARA cancer cluster", "member"), (name, "host")}


def test_milan_program(exported):
    milan = _activity(exported, "with Milan")
    assert milan["kind"] == "project" and milan["category"] == "collaborative_project"
    roles = _roles(milan)
    assert ("Pr. C. Brambilla", "coordinator") in roles
    assert ("French National Cancer Institute", "supporter") in roles
    assert ("Cancer research cluster in Milan", "partner") in roles
    topics = {t["id"]: t["slug"] for t in exported["topics"]}
    assert {topics[t] for t in milan["topics"]} == {"biomarkers", "lung-cancer"}
    coordinator = next(p for p in milan["participations"] if p["role"] == "coordinator")
    places = {p["id"]: p.get("name_en") for p in exported["places"]}
    assert places[coordinator["place"]] == "Grenoble"


def test_lausanne_program(exported):
    lausanne = _activity(exported, "with Lausanne")
    assert ("Dr. P. Mehlen", "coordinator") in _roles(lausanne)
    assert ("French National Cancer Institute", "supporter") in _roles(lausanne)
    topics = {t["id"]: t["slug"] for t in exported["topics"]}
    assert {topics[t] for t in lausanne["topics"]} == {"dependence-receptors", "colon-cancer"}


def test_european_programs_and_observatory(exported):
    nano, conti = _activity(exported, "Nano2Life"), _activity(exported, "CONTICANET")
    assert ("Patrick Boisseau", "coordinator") in _roles(nano)
    assert ("Pr. Jean-Yves Blay", "coordinator") in _roles(conti)
    for program in (nano, conti):
        assert program["category"] == "flagship_program"
        assert ("European Commission", "supporter") in _roles(program)
    observatory = _activity(exported, "European Cancer Observatory")
    assert ("International Agency for Research on Cancer", "coordinator") in _roles(observatory)
    assert ("CLARA cancer cluster", "supporter") in _roles(observatory)
    european_community = _org(exported, "European Commission")
    assert {"value": "European Community", "kind": "alias", "language": "en"} in (
        european_community["other_names"]
    )


def test_weizmann_agreement_has_three_parties_and_three_key_areas(exported):
    agreement = _activity(exported, "Weizmann")
    assert agreement["kind"] == "agreement" and agreement["status"] == "signed"
    parties = {name for name, role in _roles(agreement) if role == "party"}
    assert parties == {
        "Auvergne-Rhône-Alpes Region",
        "Weizmann Institute of Science",
        "CLARA cancer cluster",
    }
    areas = [
        (c["area"], c.get("alternate_countries"), c.get("exchange_categories"))
        for c in agreement["commitments"]
    ]
    assert areas == [
        ("joint_projects", None, None),
        ("joint_events", ["FR", "IL"], None),
        ("exchanges", None, "researcher,physician,master_student,phd_student"),
    ]
    assert "Rehovot" in {p.get("name_en") for p in exported["places"]}


def test_senegalese_delegation(exported):
    delegation = _activity(exported, "Senegalese")
    assert delegation["kind"] == "delegation"
    assert delegation["direction"] == "incoming" and delegation["delegation_country"] == "SN"
    assert ("CLARA cancer cluster", "host") in _roles(delegation)
    assert "French healthcare system" in delegation["purpose_en"]


def test_collaboration_with_germany_on_virally_induced_cancers(exported):
    project = _activity(exported, "virally induced cancers")
    assert _roles(project) == {
        ("International Agency for Research on Cancer", "partner"),
        ("German Cancer Research Center", "partner"),
    }
    places = {p["id"]: p.get("name_en") for p in exported["places"]}
    assert [places[p] for p in project["places"]] == ["Lyon"]


def test_symposium_and_seventh_scientific_days(exported):
    symposium = _activity(exported, "symposium on clinical applications of nanotechnology")
    assert {name for name, role in _roles(symposium) if role == "co_organizer"} == {
        "CLARA cancer cluster",
        "Grand Sud-Ouest cancer cluster",
        "Institute for Bioengineering of Catalonia",
    }
    days = _activity(exported, "7th CLARA Scientific Days")
    assert days["edition"] == 7
    catalan = _activity(exported, "BioNanoMed and Oncocat")
    assert {name for name, role in _roles(catalan) if role == "partner"} == {
        "BioNanoMed",
        "Oncocat",
    }
    assert catalan["links"] == [{"relation": "part_of", "object": days["id"]}]


def test_china_program_and_its_actions(exported):
    program = _activity(exported, "Collaborative program between Auvergne-Rhône-Alpes and Shanghai")
    assert program["start"] == "2011"
    assert ("CLARA cancer cluster", "coordinator") in _roles(program)
    part_of_program = [
        a
        for a in exported["activities"]
        if {"relation": "part_of", "object": program["id"]} in a.get("links", [])
    ]
    seminars = next(a for a in part_of_program if a["title_en"] == "Franco-Chinese seminars")
    assert seminars["alternating"] is True
    places = {p["id"]: p.get("name_en") for p in exported["places"]}
    assert {places[p] for p in seminars["places"]} == {"Shanghai", "Lyon"}
    editions = [
        a
        for a in exported["activities"]
        if {"relation": "part_of", "object": seminars["id"]} in a.get("links", [])
    ]
    assert sorted(a["edition"] for a in editions) == [1, 2, 3]
    kinds = {(a["kind"], a.get("exchange_category")) for a in part_of_program}
    assert {
        ("exchange", c) for c in ("phd_student", "physician", "master_student", "resident")
    } <= kinds
    assert ("project", None) in kinds  # the joint research project on cancer stem cells
    agreement = next(a for a in part_of_program if a["kind"] == "agreement")
    assert agreement["signed_on"] == "2013"
    assert {name for name, role in _roles(agreement)} == {
        "Cancer Research Center of Lyon",
        "Shanghai Cancer Institute",
    }


ROR_IDS = {
    "Institut National du Cancer": "03m8vkq32",
    "International Agency for Research on Cancer": "00v452281",
    "Weizmann Institute of Science": "0316ej306",
    "Deutsches Krebsforschungszentrum": "04cdgtt98",
    "Institute for Bioengineering of Catalonia": "056h71x09",
    "Centre de Recherche en Cancérologie de Lyon": "02mgw3155",
    "Auvergne-Rhône-Alpes Region": "00kd6pz94",
    "European Commission": "00k4n6c32",
}


def test_organizations_known_to_ror_carry_their_ror_id(exported):
    for name, ror in ROR_IDS.items():
        identifiers = _org(exported, name)["identifiers"]
        assert {"scheme": "ror", "value": ror} in identifiers, name


def test_inca_is_the_french_institute_not_the_us_nci(exported):
    inca = _org(exported, "Institut National du Cancer")
    assert {"scheme": "ror", "value": "040gcmg81"} not in inca["identifiers"]
    places = {p["id"]: p["country"] for p in exported["places"]}
    assert places[inca["place"]] == "FR"


def test_ror_ids_and_names_agree_with_the_ror_dump(shared_dir):
    dump = shared_dir / "data" / "ror" / "ror-records-51k.jsonl.gz"
    if not dump.exists():
        pytest.skip("shared ROR data is not beside the checkout")
    wanted = set(ROR_IDS.values())
    names: dict[str, set[str]] = {}
    with gzip.open(dump, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not any(ror in line for ror in wanted):
                continue
            record = json.loads(line)
            ror = record["id"].rsplit("/", 1)[1]
            if ror in wanted:
                values = [n["value"] for n in record.get("names", [])] or [
                    record.get("name"),
                    *[lb["label"] for lb in record.get("labels", [])],
                ]
                names[ror] = set(values)
    assert set(names) == wanted
    by_ror = {
        o["identifiers"][0]["value"]: o
        for o in demo_document()["organizations"]
        if o.get("identifiers")
    }
    for ror in wanted:
        record = by_ror[ror]
        ours = {record["name"], record.get("name_en"), record.get("name_fr")}
        ours |= {n["value"] for n in record.get("other_names", [])}
        assert ours & names[ror], (ror, ours, names[ror])


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    first = export_document()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out.splitlines()[-1]
    second = export_document()
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second
    assert Activity.objects.count() == 28  # with the three Weizmann exchanges of demo/officework.py
    assert Organization.objects.count() == 17  # with the networks ELI and WSN (demo/knowledge.py)


def test_load_demo_keeps_what_staff_edited_and_says_so(db, capsys):
    """An agreement's end date and status edited in the back office survive a new load-demo,
    which names them; a field the demo wrote last still follows the demo."""
    call_command("load_demo")
    agreement = Activity.objects.get(
        kind="agreement", title_en__startswith="Partnership agreement between the Auvergne"
    )
    demo_summary = agreement.summary_en
    agreement.end, agreement.status = "2031-06", "terminated"
    agreement.summary_en = "Edited by staff."
    agreement._change_reason = "back office"
    agreement.save()
    agreement.summary_en = demo_summary  # edited back to the demo's value: nothing to keep
    agreement.save()
    capsys.readouterr()
    call_command("load_demo")
    out = capsys.readouterr().out
    agreement.refresh_from_db()
    assert (agreement.end, agreement.status) == ("2031-06", "terminated")
    assert f"activities «{agreement.title_en}» end: kept “2031-06” (the demo says " in out
    assert f"activities «{agreement.title_en}» status: kept “terminated”" in out
    assert "summary_en" not in out and "2 field(s) edited since the demo wrote them kept" in out
    call_command("load_demo")  # and again: still kept, the demo's later saves notwithstanding
    agreement.refresh_from_db()
    assert (agreement.end, agreement.status) == ("2031-06", "terminated")


def test_the_demo_desk_shows_a_dated_follow_up_action_of_its_owner(db):
    """The officer's desk of a fresh demo is not empty: the Senegalese delegation's
    follow-up action has an owner and a due date within the desk's horizon, kept on reload."""
    from passerelle.activities.models import FollowUp
    from passerelle.demo.loading import DEMO_USERNAME, ensure_demo_account, load_demo_network

    ensure_demo_account()
    load_demo_network(migrate=False)
    action = FollowUp.objects.get(action_en__startswith="Explore potential partnerships")
    assert action.owner.username == DEMO_USERNAME and action.status == "open"
    assert 0 < (action.due - datetime.date.today()).days <= 14
    action.due = datetime.date.today() - datetime.timedelta(days=3)  # a week or so later
    action.save()
    load_demo_network(migrate=False)
    action.refresh_from_db()
    assert action.due == datetime.date.today() - datetime.timedelta(days=3)
    officer = Client()
    officer.force_login(action.owner)
    desk = officer.get("/en/admin/").content.decode()
    assert "Overdue: Explore potential partnerships" in desk
