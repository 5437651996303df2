"""The network measured at scale: a full recomputation, and the pages that read it.

Run: ``.venv/bin/python -m bench.insights [--repeat N] [--scale medium|large]`` (SQLite), or
with ``DATABASE_URL=postgres://...``; ``--reuse DIR`` times again on the data directory of
an earlier SQLite run (a copy: the results are written into it). A throw-away database
otherwise gets the 51k ROR organizations, the demo network and a generated set.

Timed: ``insights.store.compute`` for each scope (read the rows, build the tie graph,
every measure, store one row per actor), with its steps, in seconds; then the pages that
read the stored result, in milliseconds through Django's handler: the staff Insights page,
and the public network page computed (its cache renewed before each request, the
measures stored) and cached, beside a page that reads no data. Targets: a recomputation
< 30 s on 250 000 activities, a page < 100 ms p95.
"""

from __future__ import annotations

import argparse
import os
import statistics

from .common import HEADER, machine, row, setup_database, timed
from .imports import load_scale


def _setup(args) -> None:
    if args.reuse:
        os.environ["PASSERELLE_DATA_DIR"] = args.reuse
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"# sqlite3 (reused {args.reuse}); {machine()}")
        return
    engine = setup_database("passerelle_bench_insights")
    print(f"# {engine}; {machine()}")
    load_scale(args.scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="recomputations per scope")
    parser.add_argument("--pages", type=int, default=40, help="requests per page")
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--reuse", default="", help="an earlier SQLite run's data directory")
    args = parser.parse_args()
    _setup(args)

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    from passerelle.activities.models import Activity, Participation
    from passerelle.core.changes import VERSION_KEY, content_version
    from passerelle.insights.graph import _rows
    from passerelle.insights.store import compute

    print(
        f"# {Activity.objects.count():,} activities, {Participation.objects.count():,} "
        "participations"
    )
    print(HEADER)
    baseline = timed(lambda: _rows(Participation.objects.all(), "activity_id"), args.repeat)
    print(row("baseline: read one column of every participation", baseline))
    for scope in ("public", "staff"):
        steps: dict[str, list[float]] = {}
        results = []

        def once(scope=scope, results=results):
            results.append(compute(scope))

        times = timed(once, args.repeat)
        print(row(f"recompute, {scope} scope (ms)", times, baseline))
        for result in results:
            for step, seconds in result.summary["timings"].items():
                steps.setdefault(step, []).append(seconds * 1000)
        for step, values in steps.items():
            print(row(f"  {step}", values))
        summary = results[-1].summary
        print(
            f"#   {summary['actors']:,} actors, {summary['ties']:,} ties, "
            f"{summary['activities']:,} activities, {summary['communities']:,} communities, "
            f"modularity {summary['modularity']:.3f}, betweenness "
            + ("exact" if summary["betweenness_exact"] else "estimated")
        )

    setup_test_environment()
    version = content_version()
    admin = get_user_model().objects.filter(username="bench-insights").first()
    admin = admin or get_user_model().objects.create_superuser(
        "bench-insights", "bench@example.org", "pw-bench-insights-1"
    )
    client = Client()
    login = "/en/admin/login/"
    client.get(login)
    base = timed(lambda: client.get(login), args.pages)
    print(row("baseline: a page that reads no data (admin login)", base))
    client.force_login(admin)
    chrome = "/en/admin/password_change/"
    client.get(chrome)
    bare = timed(lambda: client.get(chrome), args.pages)
    print(row("baseline: the back office's chrome, no data (password change)", bare))
    client.get("/en/admin/insights/")
    staff = timed(lambda: client.get("/en/admin/insights/"), args.pages)
    print(row("staff Insights page (stored measures), ratio to the chrome", staff, bare))
    public = Client()

    def computed():
        # the page's cache goes, the records' version stays: the stored measures are fresh
        cache.clear()
        cache.set(VERSION_KEY, version, timeout=None)
        public.get("/en/network/")

    public.get("/en/network/")
    print(row("public network page, computed", timed(computed, args.pages), base))
    public.get("/en/network/")
    cached = timed(lambda: public.get("/en/network/"), args.pages)
    print(row("public network page, cached", cached, base))
    assert content_version() == version, "a page changed the records"
    print(f"# staff page median {statistics.median(staff):.1f} ms")


if __name__ == "__main__":
    main()
