"""Fixtures shared by the suite."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from passerelle.demo.loading import load_demo_network

CHECKOUT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PASSERELLE_SHARED_DIR", CHECKOUT.parent / "shared"))
ARTIFACTS = CHECKOUT / "test-artifacts"


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    """Each test starts afresh: its own empty cache, its own folder of uploaded files (the
    suite's workers run side by side), and English."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # a configured site address, as in production: the IRIs a test builds outside a request
    # are then a page's (unset, a page's IRIs follow the host it is served on)
    settings.PASSERELLE_PUBLIC_URL = "http://localhost:8000"
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


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared/ folder (seed texts, the ROR dump), beside the checkout."""
    return SHARED


def _grow_network(extra: int) -> None:
    """More organizations, people and participations, so that a page whose queries grow
    with the data would show it: each new organization has another name, an identifier and
    a topic, and takes part, with a new person, in the Milan activity (CLARA's, in Lyon)."""
    from passerelle.activities.models import Activity, Participation
    from passerelle.registry.models import Organization, Person, Place, Topic

    place = Place.objects.get(name_en="Lyon")
    activity = Activity.objects.get(title_en__contains="with Milan")
    topic = Topic.objects.get(slug="lung-cancer")
    grown = Organization.objects.filter(name__startswith="Institute ").count()
    for n in range(grown, grown + extra):
        org = Organization.objects.create(name=f"Institute {n}", place=place, visibility="public")
        org.identifiers.create(scheme="website", value=f"https://institute-{n}.example.org")
        org.names.create(value=f"Inst. {n}", kind="alias")
        org.topics.add(topic)
        person = Person.objects.create(family_name=f"Researcher {n}", place=place)
        Participation.objects.create(activity=activity, organization=org, role="partner")
        Participation.objects.create(activity=activity, person=person, role="participant")


@pytest.fixture
def grow_network(db) -> Callable[[int], None]:
    """``grow_network(n)``: n more related records of each kind around the demo's Milan
    activity (see _grow_network)."""
    return _grow_network


def _visible_text(response) -> str:
    """What a reader sees: inline links vanish into the text, blocks are separated."""
    body = re.sub(r"</?(a|span|strong|em|cite)\b[^>]*>", "", response.content.decode())
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


@pytest.fixture
def text_of() -> Callable:
    """``text_of(response)``: a page's text as a reader sees it, without its markup."""
    return _visible_text


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


# -- query-count baselines, kept as data (after NetBox's utilities/testing/query_counts.py)

QUERY_COUNTS = Path(__file__).with_name("query_counts.json")
#: Set (to anything) to rewrite tests/query_counts.json from what the pages cost now, on
#: purpose and on both databases: the counts are kept per database vendor.
UPDATE_QUERY_COUNTS = "PASSERELLE_UPDATE_QUERY_COUNTS"


class QueryBaselines:
    """The number of SQL queries each page costs, checked against tests/query_counts.json.

    A page that grows a query per row shows as a count that differs from its baseline, or
    that changes when the data grows; an intended change is recorded by running the test
    again with PASSERELLE_UPDATE_QUERY_COUNTS=1 (and committing the file).
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.updating = bool(os.environ.get(UPDATE_QUERY_COUNTS))
        saved = json.loads(QUERY_COUNTS.read_text()) if QUERY_COUNTS.exists() else {}
        self.baselines: dict[str, int] = saved.get(self.vendor, {})
        self.measured: dict[str, int] = {}

    def count(self, client, url: str) -> int:
        """The queries of one GET of a page, computed afresh (no cached copy)."""
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(context)

    def problem(self, key: str, count: int) -> str | None:
        """What is wrong with this count (None: it is the baseline, or is being recorded)."""
        self.measured[key] = count
        if self.updating:
            return None
        if key not in self.baselines:
            return f"{key}: no baseline ({count} queries); record it with {UPDATE_QUERY_COUNTS}=1"
        if count != self.baselines[key]:
            return (
                f"{key}: {count} queries, the baseline is {self.baselines[key]}; if intended, "
                f"record it with {UPDATE_QUERY_COUNTS}=1"
            )
        return None

    def save(self) -> None:
        saved = json.loads(QUERY_COUNTS.read_text()) if QUERY_COUNTS.exists() else {}
        saved.setdefault(self.vendor, {}).update(self.measured)
        QUERY_COUNTS.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")


@pytest.fixture
def query_baselines(db):
    baselines = QueryBaselines()
    yield baselines
    if baselines.updating and baselines.measured:
        baselines.save()
