"""The API fuzzed against its own OpenAPI schema (schemathesis), anonymous and with a token."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

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


#: Reading without a token is by design (public records); the check that flags it is off.
ANONYMOUS_READING_ALLOWED = [ignored_auth]


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
    case.call_and_validate(excluded_checks=ANONYMOUS_READING_ALLOWED)


@schema.parametrize()
@FUZZ
def test_staff_requests_conform_to_the_schema(network, token, case):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=ANONYMOUS_READING_ALLOWED
    )
