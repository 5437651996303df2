"""Accounts and security: roles, throttled sign-in, the audit log, headers, deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client

from passerelle.access.models import AuditEvent
from passerelle.registry.models import Organization

LOGIN = "/en/admin/login/"


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user(
        "clerk", "clerk@example.org", "pw-clerk-1", is_staff=True
    )


def sign_in(client, password: str, username: str = "clerk"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/en/admin/"})


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2$argon2id$")


def test_sign_in_is_audited(client, officer):
    response = sign_in(client, "pw-clerk-1")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert event.user == officer and event.address == "127.0.0.1"


def test_repeated_failures_lock_the_account_and_are_audited(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with an error
    assert sign_in(client, "wrong").status_code == 429  # the last failure allowed locks
    locked = sign_in(client, "pw-clerk-1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", username="clerk").count() >= 5
    assert not AuditEvent.objects.filter(action="login").exists()
    # another address is not locked out by this one
    other = Client().post(
        LOGIN, {"username": "clerk", "password": "pw-clerk-1"}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 302, other.context["form"].errors


def test_roles_exist_with_their_permissions(db):
    roles = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(roles) >= {"administrator", "editor", "contributor", "viewer"}
    viewer = {p.codename for p in roles["viewer"].permissions.all()}
    contributor = {p.codename for p in roles["contributor"].permissions.all()}
    editor = {p.codename for p in roles["editor"].permissions.all()}
    assert "view_organization" in viewer and not any(c.startswith("change_") for c in viewer)
    assert "change_organization" in contributor and "delete_organization" not in contributor
    assert "delete_activity" in editor and "change_user" not in editor
    assert "change_user" in {p.codename for p in roles["administrator"].permissions.all()}


def test_a_viewer_reads_and_cannot_change(client, officer, demo):
    officer.groups.add(Group.objects.get(name="viewer"))
    client.force_login(officer)
    clara = Organization.objects.get(acronym="CLARA")
    assert client.get("/en/admin/registry/organization/").status_code == 200
    page = client.get(f"/en/admin/registry/organization/{clara.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    refused = client.post(f"/en/admin/registry/organization/{clara.pk}/change/", {"name": "X"})
    assert refused.status_code == 403
    assert (
        client.post(
            f"/en/admin/registry/organization/{clara.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    clara.refresh_from_db()
    assert clara.name != "X"


def test_permission_and_visibility_changes_are_audited(staff_client, officer, demo):
    officer.groups.add(Group.objects.get(name="editor"))
    granted = AuditEvent.objects.get(action="permission_changed", target__contains="clerk")
    assert granted.detail["change"] == "add" and granted.detail["items"] == ["editor"]
    clara = Organization.objects.get(acronym="CLARA")
    clara.visibility = "confidential"
    clara.save()
    changed = AuditEvent.objects.get(action="visibility_changed")
    assert changed.detail == {"id": str(clara.uid), "from": "public", "to": "confidential"}
    officer.is_superuser = True
    officer.save()
    flags = AuditEvent.objects.filter(action="permission_changed").latest("pk")
    assert flags.detail == {"flags": {"is_superuser": [False, True]}}


def test_a_change_that_rolls_back_leaves_no_event(demo):
    clara = Organization.objects.get(acronym="CLARA")
    with pytest.raises(RuntimeError), transaction.atomic():
        clara.visibility = "internal"
        clara.save()
        raise RuntimeError("the request failed after the save")
    assert not AuditEvent.objects.filter(action="visibility_changed").exists()


def test_the_audit_log_cannot_be_edited_in_the_back_office(staff_client, officer):
    sign_in(Client(), "pw-clerk-1")
    event = AuditEvent.objects.get(action="login", username="clerk")
    assert staff_client.get("/en/admin/access/auditevent/").status_code == 200
    assert staff_client.get("/en/admin/access/auditevent/add/").status_code == 403
    response = staff_client.post(f"/en/admin/access/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and AuditEvent.objects.filter(pk=event.pk).exists()


def test_security_headers(client, db):
    portal = client.get("/en/international-relations/")
    policy = portal["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert portal["X-Frame-Options"] == "DENY"
    assert portal["X-Content-Type-Options"] == "nosniff"
    assert portal["Referrer-Policy"] == "same-origin"
    admin = client.get(LOGIN)
    admin_scripts = dict(
        part.strip().split(" ", 1) for part in admin["Content-Security-Policy"].split(";")
    )["script-src"]
    assert "'unsafe-eval'" in admin_scripts and "'unsafe-inline'" not in admin_scripts


def test_html_in_records_stays_text_in_the_back_office(staff_client, demo):
    clara = Organization.objects.get(acronym="CLARA")
    # every name the list may show: the record's own and its English and French names
    clara.name = clara.name_en = clara.name_fr = '<img src=x onerror="alert(1)">'
    clara.save()
    body = staff_client.get("/en/admin/registry/organization/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


def test_deploy_checks_pass_with_production_settings(tmp_path):
    environment = {
        **os.environ,
        "PASSERELLE_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "partners.example.org",
        "PASSERELLE_DATA_DIR": str(tmp_path),
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' module
    done = subprocess.run(
        [sys.executable, "-m", "passerelle", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_logs_are_json_lines(tmp_path):
    environment = {
        **os.environ,
        "PASSERELLE_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "partners.example.org",
        "PASSERELLE_DATA_DIR": str(tmp_path),
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' module
    code = "import logging; logging.getLogger('passerelle').warning('disk %s full', 'var')"
    done = subprocess.run(
        [sys.executable, "-m", "passerelle", "shell", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
    )
    import json

    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["message"] == "disk var full"
    assert line["logger"] == "passerelle" and "time" in line


def _gzipped(response) -> str | None:
    """The body of a gzip-encoded response, or None when it was sent as it is."""
    import gzip

    if response.get("Content-Encoding") != "gzip":
        return None
    return gzip.decompress(response.content).decode()


def test_public_pages_are_gzipped_and_pages_with_secrets_are_not(client, staff, demo):
    """BREACH: only what carries no secret is compressed (core/compression.py)."""
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    for path in ("/en/", "/fr/carte/", "/en/organizations.json", "/api/organizations/"):
        response = client.get(path, **gzip)
        body = _gzipped(response)
        assert body is not None, path
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) < len(body.encode()) / 2, path
    assert "Passerelle" in _gzipped(client.get("/en/", **gzip))
    assert client.get("/en/").get("Content-Encoding") is None  # not asked for, not sent
    # the sign-in page holds a CSRF token; the back office and a token's reads hold records
    login = client.get(LOGIN, **gzip)
    assert login.status_code == 200 and "csrfmiddlewaretoken" in login.content.decode()
    assert login.get("Content-Encoding") is None
    token_read = client.get("/api/organizations/", HTTP_AUTHORIZATION="Bearer nope", **gzip)
    assert token_read.get("Content-Encoding") is None
    client.force_login(staff)
    for path in ("/en/admin/", "/en/admin/registry/organization/", "/en/", "/api/organizations/"):
        response = client.get(path, **gzip)
        assert response.status_code == 200, path
        assert response.get("Content-Encoding") is None, path
