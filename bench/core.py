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
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable


def _setup_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        base, _, _ = url.rpartition("/")
        os.environ["DATABASE_URL"] = f"{base}/passerelle_bench"
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS passerelle_bench")
            connection.execute("CREATE DATABASE passerelle_bench")
    else:
        os.environ["PASSERELLE_DATA_DIR"] = tempfile.mkdtemp(prefix="passerelle-bench-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
    import django

    django.setup()


def _timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _row(name: str, times: list[float], baseline: list[float] | None = None) -> str:
    median = statistics.median(times)
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    ratio = f"{median / statistics.median(baseline):7.1f}×" if baseline else "        "
    return f"{name:<46} {median:9.1f} {p95:9.1f} {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _setup_database()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from passerelle.demo.loading import ensure_demo_account, load_demo_network
    from passerelle.demo.network import demo_document
    from passerelle.ingest.interchange import export_document, import_document

    call_command("migrate", verbosity=0)
    setup_test_environment()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    print(
        f"# {engine}, {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'measure (ms)':<46} {'median':>9} {'p95':>9} {'ratio':>8}")

    first = _timed(lambda: load_demo_network(migrate=False), 1)
    print(_row("load demo network into an empty database", first))
    reload = _timed(lambda: load_demo_network(migrate=False), args.repeat)
    print(_row("load demo again (nothing changes)", reload))

    document = export_document()
    text = json.dumps(document)
    baseline = _timed(lambda: json.loads(json.dumps(demo_document())), args.repeat)
    print(_row("baseline: JSON encode+decode of the document", baseline))
    print(_row("export document", _timed(export_document, args.repeat), baseline))
    print(
        _row(
            "import unchanged document",
            _timed(lambda: import_document(json.loads(text)), args.repeat),
            baseline,
        )
    )

    ensure_demo_account()
    client = Client()
    client.login(username="demo", password="passerelle-demo")
    static = _timed(lambda: client.get("/en/admin/login/"), args.repeat)
    print(_row("baseline: admin login page (no data)", static))
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
        print(
            _row(f"back office: {name}", _timed(lambda u=url: client.get(u), args.repeat), static)
        )


if __name__ == "__main__":
    main()
