"""The desk and its reminders at scale: the officer's index page and the daily run.

Run: ``.venv/bin/python -m bench.desk [--repeat N] [--scale medium]`` (SQLite), or with
``DATABASE_URL=postgres://...``. A throw-away database gets the 51k ROR organizations,
the demo network and a generated set; then 200 drafts, 200 import conflicts and three
commitments for each agreement (``bench.agreements``) are added for the desk to list.
Server time through Django's handler, in milliseconds, beside a page that reads no data;
the reminder run (locmem mail) in seconds. Targets: the desk page p95 < 200 ms, the
reminder run < 10 s.
"""

from __future__ import annotations

import argparse
import time

from .agreements import plant_commitments
from .common import HEADER, row, timed
from .imports import open_scale


def _plant(users: dict, organizations: list) -> None:
    """200 drafts of a contributor's and 200 open import conflicts, for the desk to list."""
    from passerelle.ingest.models import ImportConflict
    from passerelle.registry.models import Organization

    Organization.objects.bulk_create(
        Organization(
            name=f"Draft institute {n}",
            kind="university",
            draft=True,
            owner=users["contributor"],
            visibility="internal",
        )
        for n in range(200)
    )
    ImportConflict.objects.bulk_create(
        ImportConflict(organization=org, field="website", ours="a", theirs="b")
        for org in organizations
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scale", default="medium")
    parser.add_argument(
        "--reuse",
        default="",
        help="the data directory of an earlier SQLite run: time again, without loading",
    )
    args = parser.parse_args()
    open_scale(args.reuse, "passerelle_bench_desk", args.scale)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core import mail
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from passerelle.access.models import ReminderSent
    from passerelle.access.reminders import run
    from passerelle.access.roles import ensure_roles
    from passerelle.core.desk import gather
    from passerelle.ingest.models import ImportConflict
    from passerelle.registry.models import Organization

    setup_test_environment()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ensure_roles()
    users = {}
    for role in ("viewer", "contributor", "editor", "administrator"):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-{role}", defaults={"email": f"{role}@example.org", "is_staff": True}
        )
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    ReminderSent.objects.all().delete()
    organizations = list(Organization.objects.order_by("pk")[:200])
    if not ImportConflict.objects.exists():
        _plant(users, organizations)
    plant_commitments()
    editor = users["editor"]
    sections = gather(editor, timezone.localdate())
    print("# the editor's desk: " + ", ".join(f"{s.source.name} {s.count}" for s in sections))
    client = Client()
    client.force_login(editor)
    print(HEADER)
    baseline_url = "/en/admin/login/"
    client.get(baseline_url)
    baseline = timed(lambda: client.get(baseline_url), args.repeat)
    print(row("baseline: a page that reads no data (admin login, signed in)", baseline))
    from passerelle.core import desk

    kept = dict(desk._sources)
    desk._sources.clear()
    client.get("/en/admin/")
    empty = timed(lambda: client.get("/en/admin/"), args.repeat)
    print(row("baseline: the index with no desk source registered", empty, baseline))
    desk._sources.update(kept)
    for name, url in (
        ("desk: the back office's index, editor", "/en/admin/"),
        ("desk: the whole desk, editor", "/en/admin/desk/"),
    ):
        client.get(url)
        print(row(name, timed(lambda url=url: client.get(url), args.repeat), baseline))
    from passerelle.core.changes import records_changed

    def after_an_edit():
        records_changed()
        client.get("/en/admin/")

    print(
        row(
            "desk: the index right after an edit (last list shown, renewal queued)",
            timed(after_an_edit, args.repeat),
            baseline,
        )
    )
    commitments = next(s for s in desk.desk_sources() if s.name == "commitments")
    drawn = timed(lambda: desk.draw_up(commitments, editor, timezone.localdate()), 3)
    print(row("the renewal's work: the commitments source drawn up, editor", drawn))
    viewer = Client()
    viewer.force_login(users["viewer"])
    viewer.get("/en/admin/")
    print(row("desk: the index, viewer", timed(lambda: viewer.get("/en/admin/"), args.repeat)))
    start = time.perf_counter()
    report = run()
    first = time.perf_counter() - start
    print(
        f"{'reminder run, first (seconds)':<58} {first:10.2f}   "
        f"{len(report.sent)} mails, {report.items_sent} items, {len(mail.outbox)} in outbox"
    )
    start = time.perf_counter()
    again = run()
    print(
        f"{'reminder run again, nothing new (seconds)':<58} "
        f"{time.perf_counter() - start:10.2f}   {len(again.sent)} mails; "
        f"{ReminderSent.objects.count()} recorded"
    )


if __name__ == "__main__":
    main()
