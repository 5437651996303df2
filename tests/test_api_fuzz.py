"""The API fuzzed against its own OpenAPI schema (schemathesis), anonymous and with a token."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from passerelle.access.models import ApiToken
from passerelle.api import throttling
from passerelle.demo.loading import load_demo_network
from passerelle.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI must not flicker
    suppress_health_check=list(HealthCheck),
)
#: Answers as they are written: gzip is the server's to test, not the fuzzer's to decode.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's test client keeps the database connection across requests; the fuzzer calls
    the WSGI application directly, whose request signals would close it mid-test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def network(db, monkeypatch):
    load_demo_network(migrate=False)
    # the fuzzer sends hundreds of requests a minute from one address
    monkeypatch.setattr(throttling.AnonymousThrottle, "allow_request", lambda self, r: True)
    monkeypatch.setattr(throttling.ClientThrottle, "allow_request", lambda self, r: True)


@pytest.fixture
def token(db) -> str:
    user = get_user_model().objects.create_user("fuzzer", is_staff=True)
    return ApiToken.issue(user, "fuzzing")[1]


@schema.parametrize()
@FUZZ
def test_anonymous_requests_conform_to_the_schema(network, case):
    # reads declare their optional authentication: no check is off. The WSGI client does
    # not undo gzip, which the anonymous API's answers get when asked for (as HTTP clients do)
    case.call_and_validate(headers=PLAIN)


@schema.parametrize()
@FUZZ
def test_staff_requests_conform_to_the_schema(network, token, case):
    case.call_and_validate(headers={**PLAIN, "Authorization": f"Bearer {token}"})


def test_reads_declare_optional_authentication_and_writes_do_not(client, db):
    """Issue 13, item 20: schemathesis must not flag anonymous reads."""
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            anonymous = {} in operation.get("security", [])
            assert anonymous == (method == "get"), (method, path)


DEEP = "[" * 200_000 + "]" * 200_000
#: Bodies that were 500s (issue 12, finding 14), each with the 4xx it must be.
BAD_BODIES = {
    "over 10 MB": ('{"name_en": "' + "x" * (10 * 1024 * 1024 + 1) + '"}', 413),
    "integer id": ('{"id": 12, "name_en": "Turin", "country": "IT"}', 422),
    "non-UUID id": ('{"id": "turin", "name_en": "Turin", "country": "IT"}', 422),
    "null in a reference list": ('{"name": "X", "topics": [null]}', 422),
    "lone surrogate": ('{"name_en": "Tur\\ud800in", "country": "IT"}', 422),
    "200,000 deep": ('{"name_en": ' + DEEP + "}", 400),
}


@pytest.mark.parametrize("case", list(BAD_BODIES), ids=list(BAD_BODIES))
def test_bad_bodies_are_4xx_json_messages(network, case):
    from django.contrib.auth.models import Group
    from django.test import Client

    editor = get_user_model().objects.create_user("fuzzing-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    body, status = BAD_BODIES[case]
    path = "/api/organizations/" if "reference" in case else "/api/places/"
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(editor, 'bad')[1]}").post(
        path, body, content_type="application/json"
    )
    assert answer.status_code == status, answer.content[:300]
    message = str(answer.json()["detail"])
    assert 0 < len(message) < 1000
