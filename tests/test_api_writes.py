"""Writing through the API: roles, validation with the importer's messages, stale versions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from passerelle.access.models import ApiToken
from passerelle.activities.models import Activity
from passerelle.registry.models import Organization, Place


def client_with_role(role: str) -> Client:
    user = get_user_model().objects.create_user(f"api-{role}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    secret = ApiToken.issue(user, f"{role} integration")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def editor(demo):
    return client_with_role("editor")


PLACE = {"name_en": "Turin", "country": "IT", "latitude": 45.07, "longitude": 7.69}


def test_who_may_write(client, demo):
    assert client.post("/api/places/", PLACE, content_type="application/json").status_code == 401
    viewer = client_with_role("viewer")
    refused = viewer.post("/api/places/", PLACE, content_type="application/json")
    assert refused.status_code == 403 and "may not add places" in refused.json()["detail"]
    contributor = client_with_role("contributor")
    created = contributor.post("/api/places/", PLACE, content_type="application/json")
    assert created.status_code == 201
    turin = created.json()["id"]
    assert contributor.delete(f"/api/places/{turin}").status_code == 403
    assert Place.objects.filter(uid=turin).exists()
    # publishing their own draft is an editor's: said, it is refused, not silently dropped
    version = contributor.get(f"/api/places/{turin}")["ETag"]
    published = contributor.patch(
        f"/api/places/{turin}",
        {"draft": False},
        content_type="application/json",
        HTTP_IF_MATCH=version,
    )
    assert published.status_code == 403 and "an editor publishes" in published.json()["detail"]
    assert Place.objects.get(uid=turin).draft


def test_create_read_change_with_the_version_read(editor):
    created = editor.post("/api/places/", PLACE, content_type="application/json")
    assert created.status_code == 201 and created.json()["name_en"] == "Turin"
    turin = created.json()["id"]
    read = editor.get(f"/api/places/{turin}")
    version = read["ETag"]
    changed = editor.put(
        f"/api/places/{turin}",
        {**PLACE, "name_fr": "Turin", "region": "Piedmont"},
        content_type="application/json",
        HTTP_IF_MATCH=version,
    )
    assert changed.status_code == 200 and changed.json()["region"] == "Piedmont"
    history = editor.get(f"/api/places/{turin}/history").json()
    assert history[-1]["user"] == "api-editor"


def test_a_stale_version_is_refused_with_the_current_record(editor, demo):
    turin = editor.post("/api/places/", PLACE, content_type="application/json").json()["id"]
    first = editor.get(f"/api/places/{turin}")["ETag"]
    editor.put(
        f"/api/places/{turin}",
        {**PLACE, "region": "Piedmont"},
        content_type="application/json",
        HTTP_IF_MATCH=first,
    )
    stale = editor.put(
        f"/api/places/{turin}",
        {**PLACE, "region": "Lombardy"},
        content_type="application/json",
        HTTP_IF_MATCH=first,
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["region"] == "Piedmont"
    assert Place.objects.get(uid=turin).region == "Piedmont"
    missing = editor.put(f"/api/places/{turin}", PLACE, content_type="application/json")
    assert missing.status_code == 428


def test_bad_records_are_refused_naming_the_field_and_change_nothing(editor):
    before = Place.objects.count()
    unknown = editor.post(
        "/api/places/", {**PLACE, "colour": "red"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]
    country = editor.post(
        "/api/places/", {**PLACE, "country": "ZZ"}, content_type="application/json"
    )
    assert country.status_code == 422 and "country" in country.json()["detail"]
    clara = Organization.objects.get(acronym="CLARA")
    wrong_ror = editor.put(
        f"/api/organizations/{clara.uid}",
        {"name": clara.name, "identifiers": [{"scheme": "ror", "value": "0000000000"}]},
        content_type="application/json",
        HTTP_IF_MATCH=editor.get(f"/api/organizations/{clara.uid}")["ETag"],
    )
    assert wrong_ror.status_code == 422 and "ror" in wrong_ror.json()["detail"].lower()
    assert Place.objects.count() == before
    assert clara.identifiers.filter(value="0000000000").count() == 0


def test_delete_and_what_still_refers_to_a_record(editor, demo):
    lyon = Place.objects.get(name_en="Lyon")
    used = editor.delete(f"/api/places/{lyon.uid}")
    assert used.status_code == 409 and used.json()["used_by"]
    assert Place.objects.filter(pk=lyon.pk).exists()
    turin = editor.post("/api/places/", PLACE, content_type="application/json").json()["id"]
    assert editor.delete(f"/api/places/{turin}").status_code == 204
    assert not Place.objects.filter(uid=turin).exists()


def test_a_browser_session_writes_only_with_its_csrf_token(staff, demo):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    refused = browser.post("/api/places/", PLACE, content_type="application/json")
    assert refused.status_code == 403
    browser.get("/en/admin/")  # sets the CSRF cookie, as the back office's pages do
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/places/", PLACE, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


@pytest.fixture
def secret_lab(demo):
    """A confidential organization with a ROR id, owned by another editor, no readers."""
    owner = get_user_model().objects.create_user("other-editor", is_staff=True)
    lab = Organization.objects.create(
        name="Secret Lab", kind="company", visibility="confidential", owner=owner
    )
    lab.identifiers.create(scheme="ror", value="02feahw73")
    return lab


def test_a_create_never_adopts_a_record_by_its_identifier(secret_lab):
    """Issue 12, finding 3: a new id with a known ROR id is a 409; nothing is adopted."""
    contributor = client_with_role("contributor")
    clara = Organization.objects.get(name="Weizmann Institute of Science")
    ror = clara.identifiers.get(scheme="ror").value
    names = sorted(clara.names.values_list("value", flat=True))
    for holder, value in ((clara, ror), (secret_lab, "02feahw73")):
        taken = contributor.post(
            "/api/organizations/",
            {"name": "Takeover", "identifiers": [{"scheme": "ror", "value": value}]},
            content_type="application/json",
        )
        assert taken.status_code == 409, taken.content
        holder.refresh_from_db()
        assert holder.name != "Takeover" and not Organization.objects.filter(name="Takeover")
    assert clara.uid == Organization.objects.get(pk=clara.pk).uid
    assert sorted(clara.names.values_list("value", flat=True)) == names
    assert "Secret Lab" not in taken.json()["detail"]  # one it may not read: not named


def test_ids_of_records_the_writer_may_not_read_are_unknown_ids(secret_lab):
    """Finding 19: no existence oracle, by a record's own id or by a reference."""
    editor = client_with_role("editor")
    reused = editor.post(
        "/api/organizations/",
        {"id": str(secret_lab.uid), "name": "Probe"},
        content_type="application/json",
    )
    assert reused.status_code == 422 and "exists" not in reused.json()["detail"]
    clara = Organization.objects.get(acronym="CLARA")
    readable = editor.post(
        "/api/organizations/",
        {"id": str(clara.uid), "name": "Probe"},
        content_type="application/json",
    )
    assert readable.status_code == 409 and "PUT" in readable.json()["detail"]
    named = editor.post(
        "/api/activities/",
        {
            "kind": "project",
            "title_en": "Probe",
            "participations": [
                {"actor_type": "organization", "actor_id": str(secret_lab.uid), "role": "partner"}
            ],
        },
        content_type="application/json",
    )
    assert named.status_code == 422
    assert f"no organization with id {secret_lab.uid}" in named.json()["detail"]
    assert not Organization.objects.filter(name="Probe").exists()


def test_a_write_keeps_what_its_writer_cannot_see(secret_lab):
    """The API hides a confidential participant from an editor who is not its reader; a PUT
    of what they read must not delete it."""
    editor = client_with_role("editor")
    milan = Activity.objects.get(title_en__contains="with Milan")
    milan.participations.create(organization=secret_lab, role="partner")
    url = f"/api/activities/{milan.uid}"
    read = editor.get(url)
    assert str(secret_lab.uid) not in read.content.decode()
    written = editor.put(
        url, read.json(), content_type="application/json", HTTP_IF_MATCH=read["ETag"]
    )
    assert written.status_code == 200, written.content
    assert milan.participations.filter(organization=secret_lab).exists()


def test_anonymous_readers_see_no_id_of_records_they_may_not_read(client, demo):
    """Finding 13: the portal hides a confidential parent and an internal place; so does the API."""
    clara = Organization.objects.get(acronym="CLARA")
    child = Organization.objects.filter(visibility="public").exclude(pk=clara.pk).first()
    child.parent = Organization.objects.create(
        name="Hidden parent", kind="company", visibility="confidential"
    )
    child.place = Place.objects.create(name_en="Hidden town", country="FR", visibility="internal")
    child.save()
    shown = client.get(f"/api/organizations/{child.uid}").json()
    assert "parent" not in shown and "place" not in shown
    listed = client.get("/api/organizations/?limit=500").content.decode()
    assert str(child.parent.uid) not in listed and str(child.place.uid) not in listed


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_anonymous_writes_are_told_a_token_is_needed(client, demo, method):
    """Issue 13, item 8: 401 with a JSON message, not 403 "CSRF check Failed"."""
    lyon = Place.objects.get(name_en="Lyon")
    url = "/api/places/" if method == "post" else f"/api/places/{lyon.uid}"
    answer = getattr(Client(enforce_csrf_checks=True), method)(
        url, PLACE, content_type="application/json"
    )
    assert answer.status_code == 401 and "token" in answer.json()["detail"]


def test_every_write_path_asks_may_change(demo, monkeypatch):
    """Finding 11: one decision for every API write (a user no longer staff changes nothing)."""
    from passerelle.core import authoring

    editor = client_with_role("editor")
    lyon = Place.objects.get(name_en="Lyon")
    version = editor.get(f"/api/places/{lyon.uid}")["ETag"]
    asked = []
    monkeypatch.setattr(authoring, "may_change", lambda user, record, *a: asked.append(1) and False)
    url = f"/api/places/{lyon.uid}"
    calls = [
        editor.post("/api/places/", PLACE, content_type="application/json"),
        editor.put(url, PLACE, content_type="application/json", HTTP_IF_MATCH=version),
        editor.patch(url, {"region": "X"}, content_type="application/json", HTTP_IF_MATCH=version),
        editor.delete(url),
    ]
    assert [c.status_code for c in calls] == [403] * 4 and len(asked) == 4
    assert not Place.objects.filter(name_en="Turin").exists()


def test_a_user_no_longer_staff_writes_nothing_with_an_old_token(demo):
    """Needs core.authoring.may_change to refuse non-staff (helper doors, issue 12)."""
    editor = client_with_role("editor")
    get_user_model().objects.filter(username="api-editor").update(is_staff=False)
    assert editor.post("/api/places/", PLACE, content_type="application/json").status_code == 403
    assert not Place.objects.filter(name_en="Turin").exists()


@pytest.mark.parametrize("name", ["\u0000", "\u0001\u001f", " \t ", "\u200b\u2060", "IARC\u0000"])
def test_an_organization_named_with_no_visible_character_is_refused(editor, name):
    before = Organization.objects.count()
    refused = editor.post(
        "/api/organizations/", {"name": name, "kind": "university"}, content_type="application/json"
    )
    assert refused.status_code in (400, 422), refused.content
    detail = refused.json()["detail"]
    assert "name" in detail and ("control character" in detail or "no visible" in detail)
    assert Organization.objects.count() == before
