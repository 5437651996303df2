"""A hostile staff user against every door of the back office, over real HTTP.

Run: ``.venv/bin/python -m bench.hostile`` (SQLite) or with ``DATABASE_URL=postgres://...``.

It loads the demo into a throw-away database, plants confidential records owned
by an editor who names no reader (tests/doors_world.py: each carries the marker
ZYXQ), starts gunicorn on 127.0.0.1, and plays a viewer, a contributor and an
editor who is not a reader:

- every URL the admin site registers (the door walk of tests/test_doors.py, with
  its hand-written statuses), each page checked for the confidential markers;
- the writes a hostile user would try: a Revert POST on a public and on a
  confidential record, every admin action on rows it may not change, merging a
  confidential record into a public one, an identifier, an introduction and a
  featured activity of the public site, a participation on a published
  activity, the spreadsheet import's POST; each checked in the database after.

Every request goes to 127.0.0.1 with a 30-second timeout; the run is bounded by
the number of doors (a few hundred requests per role). It prints the probes
tried, passed and failed, and each failure.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from .common import machine, setup_database
from .imports import passerelle
from .load import free_port, start_server

HOST = "127.0.0.1"
ROLES = ("viewer", "contributor", "editor")


@dataclass
class Tally:
    tried: int = 0
    passed: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, what: str, ok: bool, detail: str = "") -> None:
        self.tried += 1
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{what}{': ' + detail if detail else ''}")


class Browser:
    """One signed-in session: its cookie, its CSRF token, a keep-alive connection."""

    def __init__(self, port: int, session_key: str):
        self.port = port
        self.cookies = {"sessionid": session_key}
        self.http = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            if "csrftoken" not in self.cookies:
                self.request("GET", "/en/admin/")
            data = {**(data or {}), "csrfmiddlewaretoken": self.cookies["csrftoken"]}
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.http.request(method, path, body=body, headers=headers)
            response = self.http.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.http.close()
            self.http = http.client.HTTPConnection(HOST, self.port, timeout=30)
            return 0, ""
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, text


def session_for(user) -> str:
    """A session signed in as ``user``, as Django's test client's force_login makes one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def walk_doors(browser: Browser, role: str, world, tally: Tally) -> None:
    from django.urls import reverse
    from tests import test_doors as doors

    markers = world.markers()
    for name, label, model_admin in doors.admin_doors():
        query = ""
        if not label:
            args, query, statuses = doors.SITE_DOORS[name]
            args = [doors._site_arg(a, world) for a in args]
        elif name in doors.CUSTOM_DOORS:
            args, statuses = doors.CUSTOM_DOORS[name]
            args = [world.users["keeper"].pk for _ in args]
        else:
            obj = doors._object_of(label, world, model_admin)
            args = doors._args(name, label, 0, obj, world)
            if args is None:
                continue
            statuses = doors.expected(label, doors._kind(name, label))
        url = reverse(f"admin:{name}", args=args) + query
        status, body = browser.request("GET", url)
        tally.check(f"{role} GET {url}", status == statuses[role], f"{status} ≠ {statuses[role]}")
        if status == 200:
            shown = [m for m in markers if m in body]
            tally.check(f"{role} GET {url} shows nothing confidential", not shown, ", ".join(shown))


def try_writes(browser: Browser, role: str, world, tally: Tally) -> None:
    """The writes of tests/test_door_writes.py, over HTTP; each checked in the database."""
    from django.urls import reverse

    from passerelle.activities.models import Participation
    from passerelle.ingest.models import ImportConflict, Merge
    from passerelle.portal.models import FeaturedActivity, Introduction
    from passerelle.registry.models import Identifier, Organization

    public, secret = world.open["org"], world.secret["registry.organization"]
    activity = world.secret["activities.activity"]
    may_edit = role == "editor"

    def post(what: str, url: str, data: dict, refused: bool, changed) -> None:
        status, _body = browser.request("POST", url, data)
        tally.check(f"{role} {what}: no server error", 0 < status < 500, str(status))
        tally.check(f"{role} {what}: {'refused' if refused else 'done'}", changed() != refused)

    old = public.history.earliest()
    public_form = {"name": "Open Org old", "kind": "university", "status": "active"}
    post(
        "Revert POST on a public record",
        reverse("admin:registry_organization_simple_history", args=[public.pk, old.history_id]),
        {**public_form, "visibility": "public"},
        refused=not may_edit,
        changed=lambda: Organization.objects.get(pk=public.pk).name == "Open Org old",
    )
    Organization.objects.filter(pk=public.pk).update(name="Open Org")
    version = activity.history.earliest()
    post(
        "Revert POST making a confidential activity public",
        reverse("admin:activities_activity_simple_history", args=[activity.pk, version.history_id]),
        {"title_en": "Made public", "kind": "agreement", "visibility": "public"},
        refused=True,
        changed=lambda: type(activity).objects.get(pk=activity.pk).visibility == "public",
    )
    org_list = reverse("admin:registry_organization_changelist")
    post(
        "delete_selected on a confidential organization",
        org_list,
        {"action": "delete_selected", "_selected_action": [secret.pk], "post": "yes"},
        refused=True,
        changed=lambda: not Organization.objects.filter(pk=secret.pk).exists(),
    )
    other = world.open["other_draft"]
    post(
        "publish_drafts on another's draft",
        org_list,
        {"action": "publish_drafts", "_selected_action": [other.pk]},
        refused=not may_edit,
        changed=lambda: not Organization.objects.get(pk=other.pk).draft,
    )
    Organization.objects.filter(pk=other.pk).update(draft=True)
    conflict = world.secret["ingest.importconflict"]
    post(
        "mark_resolved on a confidential record's conflict",
        reverse("admin:ingest_importconflict_changelist"),
        {"action": "mark_resolved", "_selected_action": [conflict.pk]},
        refused=True,
        changed=lambda: ImportConflict.objects.get(pk=conflict.pk).resolved,
    )
    merged = world.secret["ingest.merge"]
    post(
        "undo_merges on a confidential record's merge",
        reverse("admin:ingest_merge_changelist"),
        {"action": "undo_merges", "_selected_action": [merged.pk]},
        refused=True,
        changed=lambda: Merge.objects.get(pk=merged.pk).undone is not None,
    )
    post(
        "merging a confidential organization into a public one",
        reverse("admin:ingest_merge_duplicates"),
        {"kind": "organization", "keep": public.pk, "drop": secret.pk},
        refused=True,
        changed=lambda: not Organization.objects.filter(pk=secret.pk).exists(),
    )
    website = world.open["website"]
    post(
        "changing a public record's website",
        reverse("admin:registry_identifier_change", args=[website.pk]),
        {
            "scheme": "website",
            "value": f"https://{role}.phishing.example.org",
            "organization": public.pk,
        },
        refused=not may_edit,
        changed=lambda: "phishing" in Identifier.objects.get(pk=website.pk).value,
    )
    Identifier.objects.filter(pk=website.pk).update(value="https://open-org.example.org")
    introduction = world.open["introduction"]
    post(
        "rewriting the home page's introduction",
        reverse("admin:portal_introduction_change", args=[introduction.pk]),
        {"page": introduction.page, "language": introduction.language, "text": f"Defaced {role}"},
        refused=not may_edit,
        changed=lambda: Introduction.objects.get(pk=introduction.pk).text == f"Defaced {role}",
    )
    Introduction.objects.filter(pk=introduction.pk).update(text="Welcome")
    agreement = world.open["open_agreement"]
    post(
        "featuring an activity on the portal",
        reverse("admin:portal_featuredactivity_add"),
        {"activity": agreement.pk, "position": "9"},
        refused=not may_edit,
        changed=lambda: FeaturedActivity.objects.filter(activity=agreement).exists(),
    )
    FeaturedActivity.objects.filter(activity=agreement).delete()
    project, lyon = world.open["project"], world.open["lyon"]
    post(
        "a participation on a published activity",
        reverse("admin:activities_participation_add"),
        {
            "activity": project.pk,
            "organization": public.pk,
            "role": "partner",
            "place": lyon.pk,
            "visibility": "public",
            "core-citation-content_type-object_id-TOTAL_FORMS": "0",
            "core-citation-content_type-object_id-INITIAL_FORMS": "0",
        },
        refused=not may_edit,
        changed=lambda: Participation.objects.filter(activity=project, place=lyon).exists(),
    )
    Participation.objects.filter(activity=project, place=lyon).delete()
    status, _ = browser.request("POST", reverse("admin:registry_organization_process_import"), {})
    tally.check(
        f"{role} spreadsheet import POST", (status == 403) == (role == "viewer"), str(status)
    )


def main() -> None:
    engine = setup_database("passerelle_hostile")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(f"# {engine}; {machine()}", flush=True)
    start = time.perf_counter()
    passerelle("load-demo")

    from tests.doors_world import plant

    world = plant()
    print(f"demo loaded and records planted in {time.perf_counter() - start:.0f} s", flush=True)
    port = free_port()
    server = start_server(port, workers=2)
    tally = Tally()
    try:
        for role in ROLES:
            browser = Browser(port, session_for(world.users[role]))
            walk_doors(browser, role, world, tally)
            try_writes(browser, role, world, tally)
            print(f"after {role}: {tally.tried} tried, {len(tally.failures)} failed", flush=True)
    finally:
        print(f"probes tried: {tally.tried}, passed: {tally.passed}, failed: {len(tally.failures)}")
        for failure in tally.failures:
            print(f"  FAILED {failure}")
        print(f"in {time.perf_counter() - start:.0f} s", flush=True)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
    main()
