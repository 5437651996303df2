"""The JSON interchange document: round trip, idempotence, all-or-nothing imports."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passerelle.activities.models import Activity, Participation
from passerelle.core.models import Citation, Source
from passerelle.ingest.interchange import DocumentError, export_document, import_document
from passerelle.registry.models import Identifier, Organization, Person, Place, Topic

MODELS = (Activity, Participation, Organization, Person, Place, Topic, Source, Citation, Identifier)


def _without_timestamp(document: dict) -> dict:
    document = dict(document)
    document.pop("exported_at")
    return document


def _empty_database() -> None:
    while Topic.objects.filter(parent__isnull=False).exists():  # from the leaves up (PROTECT)
        Topic.objects.filter(parent__isnull=False, children__isnull=True).delete()
    for model in (Citation, Activity, Identifier, Person, Organization, Topic, Place, Source):
        model.objects.all().delete()
    assert all(model.objects.count() == 0 for model in MODELS)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_export_import_into_an_empty_database_export_gives_the_same_document(demo):
    first = export_document()
    _empty_database()
    summary = import_document(json.loads(json.dumps(first)))
    assert summary.created["activities"] == len(first["activities"]) == 28
    second = export_document()
    assert _without_timestamp(second) == _without_timestamp(first)


def test_document_shape(demo):
    document = export_document()
    assert {"organizations", "people", "places", "topics", "activities", "sources"} <= set(document)
    assert (document["format"], document["version"]) == ("passerelle", 1)
    milan = next(a for a in document["activities"] if "with Milan" in a["title_en"])
    coordinator = next(p for p in milan["participations"] if p["role"] == "coordinator")
    assert coordinator["actor_type"] == "person"
    assert coordinator["actor_name"] == "Pr. C. Brambilla"
    assert {"actor_id", "actor_type", "actor_name", "role"} <= set(coordinator)
    assert milan["sources"][0]["quotation"].startswith("Two collaborative projects")


def test_importing_the_same_document_twice_updates_never_duplicates(demo):
    document = export_document()
    before = _counts()
    summary = import_document(document)
    assert _counts() == before
    assert summary.changes == 0
    assert summary.unchanged["activities"] == 28


def test_an_import_updates_records_with_the_same_id(demo):
    document = export_document()
    milan = next(a for a in document["activities"] if "with Milan" in a["title_en"])
    milan["title_en"] = "Lung cancer biomarkers with Milan"
    milan["participations"] = [p for p in milan["participations"] if p["role"] != "supporter"]
    summary = import_document(document)
    assert summary.updated["activities"] == 1 and summary.changes == 1
    activity = Activity.objects.get(uid=milan["id"])
    assert activity.title_en == "Lung cancer biomarkers with Milan"
    assert not activity.participations.filter(role="supporter").exists()
    assert activity.history.first().history_change_reason == "import"


def test_export_runs_a_fixed_number_of_queries(demo):
    with CaptureQueriesContext(connection) as small:
        export_document()
    import_document(_more_activities(40))
    with CaptureQueriesContext(connection) as large:
        export_document()
    assert len(large) == len(small) <= 25


def _more_activities(count: int) -> dict:
    clara = Organization.objects.get(acronym="CLARA")
    return {
        "format": "passerelle",
        "version": 1,
        "activities": [
            {
                "id": f"00000000-0000-4000-8000-{n:012d}",
                "kind": "event",
                "category": "seminar",
                "title_en": f"Seminar {n}",
                "visibility": "public",
                "participations": [
                    {"actor_id": str(clara.uid), "actor_type": "organization", "role": "organizer"}
                ],
            }
            for n in range(count)
        ],
    }


def test_public_only_export_leaves_out_internal_records_and_their_participations(demo):
    clara = Organization.objects.get(acronym="CLARA")
    clara.visibility = "confidential"
    clara.save()
    secret = Activity.objects.create(kind="project", title_en="Secret talks", visibility="internal")
    document = export_document(public_only=True)
    assert str(clara.uid) not in json.dumps(document)
    assert str(secret.uid) not in {a["id"] for a in document["activities"]}
    assert document["public_only"] is True


# -- bad documents: a clear message naming the record and field, and nothing written


def _corrupt(document: dict, mutate) -> dict:
    document = copy.deepcopy(document)
    mutate(document)
    return document


def _org(document, name):
    return next(o for o in document["organizations"] if o["name"] == name)


def _activity(document, title_part):
    return next(a for a in document["activities"] if title_part in a["title_en"])


BAD_DOCUMENTS = [
    (
        "unknown role",
        lambda d: _activity(d, "with Milan")["participations"][0].update(role="sponsor"),
        "participations[0].role",
        "sponsor",
    ),
    (
        "role that does not fit the kind",
        lambda d: _activity(d, "Franco-Chinese seminar (1st)").update(
            participations=[
                {
                    "actor_id": d["organizations"][0]["id"],
                    "actor_type": "organization",
                    "role": "signatory",
                }
            ]
        ),
        "participations[0].role",
        "is not a role in activities of kind “event”",
    ),
    (
        "agreement with one party",
        lambda d: _activity(d, "Weizmann")["participations"].__delitem__(slice(1, None)),
        "«Partnership agreement between the Auvergne-Rhône-Alpes Region",
        "needs at least two parties; it has 1",
    ),
    (
        "unknown country",
        lambda d: d["places"][0].update(country="XX"),
        "places[0]",
        "country",
    ),
    (
        "unknown kind",
        lambda d: d["activities"][-1].update(kind="party"),
        ".kind",
        "party",
    ),
    (
        "wrong date",
        lambda d: (
            _activity(d, "Collaborative program between")["start"].__class__
            and _activity(d, "Collaborative program between").update(start="2011-13")
        ),
        "«Collaborative program between Auvergne-Rhône-Alpes and Shanghai».start",
        "2011-13",
    ),
    (
        "end before start",
        lambda d: _activity(d, "Collaborative program between").update(end="2009"),
        ".end",
        "before it starts",
    ),
    (
        "malformed ROR id",
        lambda d: next(
            i
            for i in _org(d, "Weizmann Institute of Science")["identifiers"]
            if i["scheme"] == "ror"
        ).update(value="0316ej307"),
        "«Weizmann Institute of Science».identifiers[",
        "checksum",
    ),
    (
        "duplicate identifier",
        lambda d: next(o for o in d["organizations"] if o["name"] == "Oncocat").update(
            identifiers=[{"scheme": "ror", "value": "0316ej306"}]
        ),
        "«Oncocat».identifiers[0].value",
        "already the identifier of Weizmann Institute of Science",
    ),
    (
        "reference to a missing record",
        lambda d: d["organizations"][0].update(place="9b6b1d9e-0000-4000-8000-000000000000"),
        "organizations[0]",
        "no place with id",
    ),
    (
        "record without id",
        lambda d: d["people"][0].pop("id"),
        "people[0] «Blay».id",
        "needs an id",
    ),
    (
        "misspelt field",
        lambda d: d["people"][0].update(familyname="Brambila"),
        "people[0]",
        "unknown field familyname",
    ),
    (
        "text where a number belongs",
        lambda d: (
            _activity(d, "7th CLARA")["edition"].__class__
            and _activity(d, "7th CLARA").update(edition="seventh")
        ),
        ".edition",
        "whole number",
    ),
    (
        "record that is not an object",
        lambda d: d["topics"].insert(0, "lung cancer"),
        "topics[0]",
        "expected an object",
    ),
    (
        "wrong version",
        lambda d: d.update(version=99),
        "version",
        "version 99",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "where", "why"),
    [case[1:] for case in BAD_DOCUMENTS],
    ids=[case[0] for case in BAD_DOCUMENTS],
)
def test_bad_documents_are_refused_and_change_nothing(demo, mutate, where, why):
    document = export_document()
    # Make the import change many records before it meets the error, so a partial
    # write would show.
    for activity in document["activities"]:
        activity["title_fr"] = activity.get("title_fr", "") + " (modifié)"
    before = _counts()
    titles = sorted(Activity.objects.values_list("title_fr", flat=True))
    with pytest.raises(DocumentError) as caught:
        import_document(_corrupt(document, mutate))
    message = str(caught.value)
    assert where in message and why in message, message
    assert _counts() == before
    assert sorted(Activity.objects.values_list("title_fr", flat=True)) == titles


def test_import_command_reports_errors_and_leaves_the_database_as_it_was(demo, tmp_path):
    document = export_document()
    _activity(document, "with Milan")["participations"][0]["role"] = "sponsor"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError, match=r"(?s)participations\[0\]\.role.*Nothing was imported"):
        call_command("import", str(path))
    assert _counts() == before


HEAD = '{"format": "passerelle", "version": 1, '
AN_ID = "9b6b1d9e-0000-4000-8000-00000000000"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ("[1, 2]", "expected a JSON object"),
        ("", "is not JSON"),
        # issue 12, finding 15: each was a traceback, an echo of 10 MB, or silence
        (
            HEAD + f'"organizations": [{{"id": "{AN_ID}1", "name": "X", "topics": [null]}}]}}',
            r"organizations\[0\] «X»\.topics\[0\]: expected the id of a record, found null",
        ),
        (HEAD + '"places": ' + "[" * 200_000 + "]" * 200_000 + "}", "nests too deeply"),
        (
            HEAD + f'"places": [{{"id": "{AN_ID}2", "country": "' + "Z" * 10_000_000 + '"}]}',
            r"places\[0\]\.country: .*ZZZZ… \(10,000,\d{3} characters\)",
        ),
        (HEAD + '"organisations": [], "people": []}', "unknown section organisations; the"),
    ],
    ids=["not json", "a list", "empty", "null in a list", "deep", "10 MB value", "misspelt"],
)
def test_import_command_refuses_what_is_not_a_document(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as refused:
        call_command("import", str(path))
    assert len(str(refused.value)) < 1000  # a value is quoted cut, never whole


def test_import_command_names_a_missing_file(db):
    with pytest.raises(CommandError, match=r"cannot read /nonexistent\.json"):
        call_command("import", "/nonexistent.json")


def test_export_and_import_commands_round_trip(demo, tmp_path, capsys):
    path = tmp_path / "network.json"
    call_command("export", "--format", "json", "-o", str(path))
    assert "28 activities" in capsys.readouterr().err
    _empty_database()
    call_command("import", str(path))
    assert "activities: 28 created" in capsys.readouterr().out
    call_command("export", "--format", "json")
    again = json.loads(capsys.readouterr().out)
    assert _without_timestamp(again) == _without_timestamp(json.loads(path.read_text()))


def test_the_streamed_file_is_the_same_document(demo, tmp_path):
    import io

    from passerelle.ingest.interchange import write_document

    buffer = io.StringIO()
    counts = write_document(buffer)
    streamed = json.loads(buffer.getvalue())
    assert counts["activities"] == 28
    assert _without_timestamp(streamed) == _without_timestamp(export_document())
    empty = io.StringIO()
    _empty_database()
    write_document(empty)
    assert json.loads(empty.getvalue())["activities"] == []
