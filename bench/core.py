"""Benchmarks of the core: loading the demo, the interchange round trip, back-office pages.

Run: ``.venv/bin/python -m bench.core [--repeat N]`` (SQLite), or with
``DATABASE_URL=postgres://...`` for PostgreSQL. It uses a throw-away database
(``passerelle_bench`` on PostgreSQL, a temporary file on SQLite) and prints
medians, p95 and ratios against a baseline measured in the same run.
Not part of ``make test``: these machines are noisy, figures go to
docs/PERFORMANCE.md with the command and the machine.
"""

from __future__ import annotations

import argparse
import json

from .common import HEADER, machine, row, setup_database, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    engine = setup_database()

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from passerelle.demo.document import demo_document
    from passerelle.demo.loading import ensure_demo_account, load_demo_network
    from passerelle.ingest.interchange import export_document, import_document

    setup_test_environment()
    print(f"# {engine}; {machine()}")
    print(HEADER)

    first = timed(lambda: load_demo_network(migrate=False), 1)
    print(row("load demo network into an empty database", first))
    reload = timed(lambda: load_demo_network(migrate=False), args.repeat)
    print(row("load demo again (nothing changes)", reload))

    document = export_document()
    text = json.dumps(document)
    baseline = timed(lambda: json.loads(json.dumps(demo_document())), args.repeat)
    print(row("baseline: JSON encode+decode of the document", baseline))
    print(row("export document", timed(export_document, args.repeat), baseline))
    print(
        row(
            "import unchanged document",
            timed(lambda: import_document(json.loads(text)), args.repeat),
            baseline,
        )
    )

    ensure_demo_account()
    client = Client()
    # signed in without the sign-in form: django-axes wants a request to check it against
    client.force_login(get_user_model().objects.get(username="demo"))
    static = timed(lambda: client.get("/en/admin/login/"), args.repeat)
    print(row("baseline: admin login page (no data)", static))
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization

    clara = Organization.objects.get(acronym="CLARA").pk
    milan = Activity.objects.get(title_en__contains="with Milan").pk
    for name, url in (
        ("organization list", "/en/admin/registry/organization/"),
        ("organization detail (CLARA)", f"/en/admin/registry/organization/{clara}/change/"),
        ("activity list", "/en/admin/activities/activity/"),
        ("activity detail (Milan program)", f"/en/admin/activities/activity/{milan}/change/"),
    ):
        client.get(url)  # warm
        print(row(f"back office: {name}", timed(lambda u=url: client.get(u), args.repeat), static))


if __name__ == "__main__":
    main()
