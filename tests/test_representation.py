"""One representation per record: the interchange table, the API's schemas, docs/interchange.md
and the models agree, and a record read through the API and written back is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from passerelle.access.models import ApiToken
from passerelle.activities.models import Activity
from passerelle.api.schemas import PART_SHAPES, RECORDS, CitationOut
from passerelle.core.models import Citation
from passerelle.ingest.interchange import PARTS, SECTIONS, export_document
from passerelle.registry.models import Organization

DOCS = (Path(__file__).resolve().parent.parent / "docs/interchange.md").read_text()

#: Model fields with no key of their own in the document, and why. Anything else a model
#: gains must be given a representation (the table, the API schema, the docs) or a line here.
NOT_EXCHANGED = {
    "id": "the database's own key: records travel by their stable uid",
    "uid": "written as the record's `id`",
    "owner": "an account of this instance; owners are not exchanged (docs: Conventions)",
    "created": "this database's bookkeeping",
    "updated": "this database's bookkeeping; the API shows it, read only, as the version",
}
#: Per model: the field that ties a part to the record it travels inside, or that the
#: document writes another way.
IMPLIED = {
    "OrganizationName": {"organization": "inside its organization"},
    "Identifier": {"organization": "inside its organization", "person": "inside its person"},
    "Affiliation": {"person": "inside its person"},
    "Participation": {
        "activity": "inside its activity",
        "organization": "the actor: `actor_id` with `actor_type` organization",
        "person": "the actor: `actor_id` with `actor_type` person",
    },
    "Commitment": {"agreement": "inside its agreement"},
    "ActivityLink": {"subject": "inside the activity it starts from"},
    "AgendaItem": {"delegation": "inside its delegation"},
    "FollowUp": {"delegation": "inside its delegation"},
    "Citation": {
        "content_type": "the cited record: the citation sits in its `sources`",
        "object_id": "the cited record: the citation sits in its `sources`",
        "source": "written `source`, the id of the source",
    },
}


def _represented() -> list[tuple[type, set[str], set[str]]]:
    """Each model with the keys the table gives it and the keys its API schema has."""
    rows = []
    for section in SECTIONS:
        keys = {*section.fields, *(r.key for r in section.references)}
        rows.append((section.model, keys, set(RECORDS[section.key].model_fields)))
    for part in PARTS.values():
        keys = {*part.fields, *(r.key for r in part.references)}
        rows.append((part.model, keys, set(PART_SHAPES[part.key].model_fields)))
    rows.append((Citation, {"quotation", "locator"}, set(CitationOut.model_fields)))
    return rows


@pytest.mark.parametrize(
    ("model", "keys", "schema"), _represented(), ids=lambda v: getattr(v, "__name__", "")
)
def test_every_model_field_is_represented_or_excluded_on_purpose(model, keys, schema):
    """After Datasette's tests/test_docs.py: a new field without its representation fails."""
    fields = {f.name for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.many_to_many
    }
    implied = IMPLIED.get(model.__name__, {})
    missing = fields - keys - set(NOT_EXCHANGED) - set(implied)
    assert not missing, f"{model.__name__}: {sorted(missing)} in no section of the table"
    assert keys <= schema, f"{model.__name__}: {sorted(keys - schema)} not in the API schema"
    undocumented = {key for key in keys if f"`{key}`" not in DOCS}
    assert not undocumented, f"{model.__name__}: {sorted(undocumented)} not in interchange.md"
    assert not (keys & set(implied)), "a field is both represented and excluded"


def test_the_docs_name_every_section_and_part():
    for key in [s.key for s in SECTIONS] + list(PARTS):
        assert re.search(rf"`{key}`", DOCS), key


def test_the_api_schemas_describe_exactly_the_exported_records(demo):
    document = export_document()
    now = timezone.now()
    for section in SECTIONS:
        schema = RECORDS[section.key]
        assert set(schema.model_fields) == {*section.allowed, "updated"}, section.key
        for record in document[section.key]:
            schema.model_validate({**record, "updated": now})  # no key beside its own


@pytest.fixture
def editor(demo) -> Client:
    user = get_user_model().objects.create_user("api-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'round trip')[1]}")


def _one_of_each_kind(document: dict) -> list[tuple[str, dict]]:
    """A record of every section, an activity of every kind, and the two the issue names."""
    chosen = [(s.key, document[s.key][0]) for s in SECTIONS if s.key != "activities"]
    kinds = {}
    for activity in document["activities"]:
        kinds.setdefault(activity["kind"], activity)
    chosen += [("activities", a) for a in kinds.values()]
    weizmann = Activity.objects.get(kind="agreement", title_en__contains="Weizmann")
    clara = Organization.objects.get(acronym="CLARA")
    chosen += [
        ("activities", next(a for a in document["activities"] if a["id"] == str(weizmann.uid))),
        ("organizations", next(o for o in document["organizations"] if o["id"] == str(clara.uid))),
    ]
    return chosen


def test_get_put_export_is_the_identity_for_every_kind_of_record(editor):
    before = export_document()
    weizmann = Activity.objects.get(kind="agreement", title_en__contains="Weizmann")
    assert weizmann.commitments.count() == 3 and weizmann.citations.count() == 1
    for key, exported in _one_of_each_kind(before):
        read = editor.get(f"/api/{key}/{exported['id']}")
        assert read.status_code == 200
        body = read.json()
        assert {k: v for k, v in body.items() if k != "updated"} == exported, key
        written = editor.put(
            f"/api/{key}/{exported['id']}",
            body,  # exactly as read, `updated` included
            content_type="application/json",
            HTTP_IF_MATCH=read["ETag"],
        )
        assert written.status_code == 200, written.content
        assert written.json() == body or written.json()["updated"] >= body["updated"]
    after = export_document()
    for key in (s.key for s in SECTIONS):
        assert after[key] == before[key], key
    assert weizmann.commitments.count() == 3 and weizmann.citations.count() == 1
    clara = Organization.objects.get(acronym="CLARA")
    assert Citation.objects.filter(object_id=clara.pk, content_type__model="organization").count()


def test_patch_changes_only_the_keys_it_names(editor):
    weizmann = Activity.objects.get(kind="agreement", title_en__contains="Weizmann")
    url = f"/api/activities/{weizmann.uid}"
    read = editor.get(url)
    patched = editor.patch(
        url,
        {"end": "2031", "acronym": None},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert patched.status_code == 200, patched.content
    weizmann.refresh_from_db()
    assert weizmann.end == "2031" and weizmann.acronym == ""
    assert weizmann.commitments.count() == 3 and weizmann.citations.count() == 1
    assert {k: v for k, v in patched.json().items() if k not in ("updated", "end", "acronym")} == {
        k: v for k, v in read.json().items() if k not in ("updated", "end", "acronym")
    }
    stale = editor.patch(
        url, {"end": "2040"}, content_type="application/json", HTTP_IF_MATCH=read["ETag"]
    )
    assert stale.status_code == 409
    current = stale.json()["current"]  # the whole record, its nested sections with it
    assert len(current["commitments"]) == 3 and current["sources"] and current["end"] == "2031"
