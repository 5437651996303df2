"""Fixtures shared by the suite."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from passerelle.demo.loading import load_demo_network

CHECKOUT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PASSERELLE_SHARED_DIR", CHECKOUT.parent / "shared"))
ARTIFACTS = CHECKOUT / "test-artifacts"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts afresh: its own empty cache, and English."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # background tasks run at once, in the test's process and transaction
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    # a rolled-back test's embeddings may come back under the same row ids in the next one
    from passerelle.search.semantic import forget_index

    forget_index()
    # a request to a /fr/ page leaves French active in this thread: start each test in English
    translation.activate("en")


@pytest.fixture
def demo(db):
    """The seed network and its portal texts, loaded as `passerelle load-demo` does."""
    load_demo_network(migrate=False)


@pytest.fixture
def world(db):
    """A user of each role and planted confidential records (tests/doors_world.py)."""
    from .doors_world import plant

    return plant()


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser(
        "officer", "officer@example.org", "pw-officer-1"
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (Playwright's own download can't work
    here). Missing, it skips — unless PASSERELLE_REQUIRE_BROWSER is set, as in CI."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("PASSERELLE_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
