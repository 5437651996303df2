"""ROR import: both schemas, every file form, bad input, re-imports that respect staff edits."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from passerelle.ingest.models import ExternalRecord, ImportConflict
from passerelle.ingest.ror import import_ror, merge
from passerelle.registry.models import Identifier, Organization, OrganizationRelationship, Place

from .ror_samples import CLB_V2, CRCL_CHILD, HCL_V1, _jsonl


def test_both_schemas_become_the_same_kind_of_organization(db, tmp_path):
    summary = import_ror(_jsonl(tmp_path / "ror.jsonl", [CLB_V2, HCL_V1]))
    assert (summary.created, summary.errors) == (2, [])
    clb = Organization.objects.get(identifiers__value="01cmnjq37")
    assert (clb.name, clb.name_en, clb.acronym, clb.kind) == (
        "Centre Léon Bérard",
        "Leon Berard Cancer Center",
        "CLB",
        "hospital",
    )
    assert clb.place.geonames_id == 2996944 and clb.place.country.code == "FR"
    assert {"Centre de lutte contre le cancer de Lyon"} <= set(
        clb.names.values_list("value", flat=True)
    )
    assert set(clb.identifiers.values_list("scheme", "value")) == {
        ("ror", "01cmnjq37"),
        ("grid", "grid.418116.b"),
        ("isni", "000000009437728X"),
        ("website", "https://www.centreleonberard.fr"),
    }
    hcl = Organization.objects.get(identifiers__value="01502ca60")
    assert (hcl.name, hcl.name_en, hcl.acronym, hcl.kind) == (
        "Hospices Civils de Lyon",
        "Lyon University Hospitals",
        "HCL",
        "hospital",
    )
    assert hcl.place == clb.place  # one place per GeoNames id
    assert set(hcl.names.values_list("value", "kind")) == {("HCL Lyon", "alias")}
    assert ("wikidata", "Q3140095") in set(hcl.identifiers.values_list("scheme", "value"))
    assert Place.objects.count() == 1
    assert clb.history.first().history_change_reason == "ROR import"


@pytest.mark.parametrize("form", ["jsonl", "jsonl.gz", "json", "zip"])
def test_every_file_form_ror_publishes(db, tmp_path, form):
    records = [CLB_V2, HCL_V1]
    if form == "json":
        path = tmp_path / "ror.json"
        path.write_text(json.dumps(records), encoding="utf-8")
    elif form == "zip":
        path = tmp_path / "v2.9-2026-06-ror-data.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("v2.9-2026-06-ror-data.json", json.dumps([HCL_V1]))
            archive.writestr("v2.9-2026-06-ror-data_schema_v2.json", json.dumps(records))
            archive.writestr("v2.9-2026-06-ror-data.csv", "id,name\n")
    else:
        path = _jsonl(tmp_path / f"ror.{form}", records, gz=form.endswith("gz"))
    summary = import_ror(path)
    assert summary.created == 2, summary


def test_relationship_to_a_record_not_yet_loaded_is_resolved_when_it_arrives(db, tmp_path):
    import_ror(_jsonl(tmp_path / "a.jsonl", [CRCL_CHILD]))
    crcl = Organization.objects.get(identifiers__value="02mgw3155")
    relationship = crcl.relationships.get()
    assert (relationship.kind, relationship.target_ror, relationship.target) == (
        "parent",
        "01cmnjq37",
        None,
    )
    assert crcl.parent is None
    summary = import_ror(_jsonl(tmp_path / "b.jsonl", [CLB_V2]))
    assert summary.relationships_resolved == 1
    crcl.refresh_from_db()
    clb = Organization.objects.get(identifiers__value="01cmnjq37")
    assert crcl.relationships.get().target == clb
    assert crcl.parent == clb


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = _jsonl(tmp_path / "ror.jsonl", [CLB_V2, HCL_V1, CRCL_CHILD])
    import_ror(path)
    history = Organization.history.count()
    summary = import_ror(path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert Organization.history.count() == history


def test_a_newer_dump_updates_in_place_but_keeps_what_staff_edited(db, tmp_path):
    import_ror(_jsonl(tmp_path / "old.jsonl", [CLB_V2]))
    clb = Organization.objects.get(identifiers__value="01cmnjq37")
    clb.name = "Centre Léon Bérard (CLCC)"  # staff's edit
    clb.save()
    newer = json.loads(json.dumps(CLB_V2))
    newer["names"][0]["value"] = "Centre Leon Berard"  # the registry changes the name too
    newer["names"][1]["value"] = "CLB-Lyon"  # and the acronym, which staff left alone
    newer["status"] = "inactive"
    summary = import_ror(_jsonl(tmp_path / "new.jsonl", [newer]))
    assert (summary.updated, summary.conflicts) == (1, 1)
    clb.refresh_from_db()
    assert clb.name == "Centre Léon Bérard (CLCC)"
    assert (clb.acronym, clb.status) == ("CLB-Lyon", "inactive")  # inactive is kept, marked
    conflict = ImportConflict.objects.get()
    assert (conflict.field, conflict.ours, conflict.theirs) == (
        "name",
        "Centre Léon Bérard (CLCC)",
        "Centre Leon Berard",
    )
    assert Organization.objects.count() == 1


def test_a_record_made_by_hand_is_matched_by_its_ror_id_not_duplicated(db, tmp_path):
    clb = Organization.objects.create(name="Centre Léon Bérard", kind="cancer_centre")
    Identifier.objects.create(organization=clb, scheme="ror", value="01cmnjq37")
    summary = import_ror(_jsonl(tmp_path / "ror.jsonl", [CLB_V2]))
    assert (summary.created, summary.updated, summary.conflicts) == (0, 1, 1)
    clb.refresh_from_db()
    assert clb.kind == "cancer_centre"  # staff's choice stands, listed for review
    assert clb.name_en == "Leon Berard Cancer Center"  # empty fields are filled
    assert ExternalRecord.objects.get().organization == clb


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "expected a JSON object, found list"),
        (json.dumps({"names": [{"value": "X", "types": ["ror_display"]}]}), "has no id"),
        (json.dumps({"id": "https://ror.org/05abcde12", "names": []}), "not a ROR id"),
        (json.dumps({"id": "https://ror.org/01cmnjq37", "names": [], "types": []}), "has no name"),
        (json.dumps({**CLB_V2, "names": []}), "has no name"),
        (json.dumps({**CLB_V2, "names": "Centre Léon Bérard"}), "has no name"),
        (json.dumps({**CLB_V2, "names": [None, {"value": 5}, {"types": []}]}), "has no name"),
        (json.dumps({**HCL_V1, "name": ["Hospices Civils de Lyon"]}), "has no name"),
        (
            json.dumps({**CLB_V2, "admin": {"last_modified": {"schema_version": "3.0"}}}),
            "unknown schema version 3.0",
        ),
        (json.dumps({**HCL_V1, "country": {"country_code": "QQ"}}), "unknown country QQ"),
    ],
)
def test_bad_records_are_counted_with_their_line_and_others_still_load(db, tmp_path, line, message):
    path = _jsonl(tmp_path / "ror.jsonl", [CRCL_CHILD, line])
    summary = import_ror(path)
    assert summary.created == 1
    assert len(summary.errors) == 1
    assert "ror.jsonl line 2" in str(summary.errors[0]) and message in str(summary.errors[0])


def test_strict_stops_at_the_first_error_and_writes_nothing(db, tmp_path):
    path = _jsonl(tmp_path / "ror.jsonl", [CLB_V2, "[]", HCL_V1])
    with pytest.raises(CommandError, match=r"(?s)line 2.*Nothing was imported"):
        call_command("import_ror", str(path), "--strict", "--no-progress")
    assert Organization.objects.count() == 0


def test_a_truncated_gzip_is_reported_and_what_was_read_is_kept(db, tmp_path):
    path = _jsonl(tmp_path / "ror.jsonl.gz", [CLB_V2, HCL_V1, CRCL_CHILD], gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    summary = import_ror(path)
    assert any("truncated" in str(e) for e in summary.errors)
    assert summary.created >= 1


def test_command_prints_a_summary(db, tmp_path, capsys):
    call_command("import_ror", str(_jsonl(tmp_path / "r.jsonl", [CLB_V2])), "--no-progress")
    assert "1 created, 0 updated, 0 unchanged, 0 conflicts, 0 errors" in capsys.readouterr().out


def test_three_way_merge_rules():
    assert merge("staff", "old", "old", has_base=True) == ("staff", False)
    assert merge("old", "old", "new", has_base=True) == ("new", False)
    assert merge("staff", "old", "new", has_base=True) == ("staff", True)
    assert merge("new", "old", "new", has_base=True) == ("new", False)
    assert merge("", None, "new", has_base=False) == ("new", False)
    assert merge("mine", None, "new", has_base=False) == ("mine", True)


@pytest.mark.slow
def test_the_whole_51k_dump_loads_and_a_second_run_changes_nothing(db, shared_dir):
    dump = shared_dir / "data" / "ror" / "ror-records-51k.jsonl.gz"
    if not dump.exists():
        pytest.skip("shared ROR data is not beside the checkout")
    first = import_ror(dump)
    assert (first.created, len(first.errors)) == (51370, 0)
    assert Organization.objects.count() == 51370
    second = import_ror(dump)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 51370)
    inca = Organization.objects.get(identifiers__value="03m8vkq32")
    assert inca.place.country.code == "FR"
    assert OrganizationRelationship.objects.filter(target__isnull=False).count() > 40000


def test_the_demo_adopts_organizations_ror_already_gave_us(db, tmp_path):
    weizmann = {
        "id": "https://ror.org/0316ej306",
        "names": [
            {
                "lang": "en",
                "types": ["ror_display", "label"],
                "value": "Weizmann Institute of Science",
            }
        ],
        "types": ["education", "funder"],
        "status": "active",
        "locations": [
            {
                "geonames_id": 293725,
                "geonames_details": {
                    "name": "Rehovot",
                    "country_code": "IL",
                    "lat": 31.89421,
                    "lng": 34.81199,
                },
            }
        ],
    }
    import_ror(_jsonl(tmp_path / "ror.jsonl", [weizmann]))
    ror_made = Organization.objects.get()
    call_command("load_demo")
    assert Organization.objects.filter(identifiers__value="0316ej306").get().pk == ror_made.pk
    ror_made.refresh_from_db()
    assert ror_made.participations.filter(role="party").exists()
    call_command("load_demo")  # and again: nothing moves
    assert Organization.objects.filter(name="Weizmann Institute of Science").count() == 1
