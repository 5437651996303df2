"""Writing through the API: roles, validation with the importer's messages, stale versions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from passerelle.access.models import ApiToken
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
