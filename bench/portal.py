"""Benchmarks of the public portal on the medium data set (51k ROR organizations, 100k activities).

Run: ``.venv/bin/python -m bench.portal [--repeat N] [--reuse DIR]`` (SQLite), or with
``DATABASE_URL=postgres://...``. Every page is timed twice: *computed* (the page
cache renewed before each request, as after any edit) and *cached* (what
readers get until the next edit). Server time through Django's handler, in
milliseconds: median, p95, and the ratio to a page that reads no data.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from .common import HEADER, machine, row, setup_database, timed
from .imports import load_scale, open_scale, passerelle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--only", default="", help="time only the pages whose name has this")
    parser.add_argument(
        "--reuse", default="", help="a SQLite data directory (a copy) already loaded: no loading"
    )
    args = parser.parse_args()
    if args.reuse:
        open_scale(args.reuse, "passerelle_bench_portal", args.scale)
        engine = "reused"
    else:
        engine = setup_database("passerelle_bench_portal")
        print(f"# {engine}; {machine()}")
        load_scale(args.scale)

    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from passerelle.activities.models import Activity, Participation
    from passerelle.core.changes import records_changed
    from passerelle.core.dependencies import renew_everything
    from passerelle.core.visibility import public
    from passerelle.registry.models import Organization, Person

    setup_test_environment()
    client = Client()
    counts = (
        public(Organization.objects.all())
        .annotate(n=Count("participations"))
        .filter(n__gt=0)
        .order_by("-n")
    )
    hub, hub_count = counts[0], counts[0].n
    small = counts.filter(n__lte=3).first()
    activity = Activity.objects.filter(visibility="public").order_by("-pk").first()
    person = (
        Person.objects.filter(visibility="public")
        .annotate(n=Count("participations"))
        .order_by("-n")
        .first()
    )
    print(
        f"# {Organization.objects.count():,} organizations, {Activity.objects.count():,} "
        f"activities, {Participation.objects.count():,} participations; hub "
        f"{hub.display_name!r} has {hub_count:,} participations"
    )
    print(HEADER)
    baseline_url = "/en/admin/login/"
    client.get(baseline_url)
    baseline = timed(lambda: client.get(baseline_url), args.repeat)
    print(row("baseline: a page that reads no data (admin login)", baseline))
    pages = [
        ("home", "/en/"),
        ("International relations", "/en/international-relations/"),
        ("one section of it, page 2", "/en/international-relations/events/page/2/"),
        ("organization detail: the hub", f"/en/organizations/{hub.uid}/"),
        ("organization detail: a small partner", f"/en/organizations/{small.uid}/"),
        ("the hub's activities, page 10", f"/en/organizations/{hub.uid}/activities/page/10/"),
        ("activity detail", f"/en/activities/{activity.uid}/"),
        ("person detail (most active)", f"/en/people/{person.uid}/"),
        ("topic detail (lung cancer)", "/en/topics/lung-cancer/"),
        ("country detail (France)", "/en/countries/fr/"),
        ("country detail (Italy)", "/en/countries/it/"),
        ("countries index", "/en/countries/"),
        ("topics index", "/en/topics/"),
        ("organizations index, page 100", "/en/organizations/page/100/"),
        ("map", "/en/map/"),
        ("map, agreements 2015-2020", "/en/map/?kind=agreement&since=2015&until=2020"),
        ("network", "/en/network/"),
        ("network, Italy, projects", "/en/network/?country=IT&kind=project"),
        ("timeline", "/en/timeline/"),
        ("timeline, one year", "/en/timeline/2015/"),
        ("International relations as JSON", "/en/international-relations.json"),
        ("sitemap.xml (the index)", "/sitemap.xml"),
        ("sitemap of activities, page 10 (2,000 addresses)", "/sitemap-activities.xml?p=10"),
    ]
    for name, url in (p for p in pages if args.only in p[0]):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

        def computed(u=url):
            records_changed()  # the network page's key
            renew_everything()  # every other page's dependencies
            client.get(u)

        repeat = args.repeat if "sitemap" not in name else 5
        print(row(f"{name}: computed", timed(computed, repeat), baseline))
        client.get(url)
        print(row(f"{name}: cached", timed(lambda u=url: client.get(u), args.repeat), baseline))

    # the static export of the demo network, for scale: the medium set has 300k pages
    from django.core.management import call_command

    if engine == "sqlite3":
        out = Path(tempfile.mkdtemp(prefix="passerelle-site-")) / "demo"
        call_command("flush", interactive=False, verbosity=0)
        passerelle("load-demo")
        start = time.perf_counter()
        call_command("publish", str(out), verbosity=0)
        elapsed = time.perf_counter() - start
        files = sum(1 for p in out.rglob("*") if p.is_file())
        print(f"{'publish the demo network (seconds, files)':<58} {elapsed:10.1f} {files:10d}")


if __name__ == "__main__":
    main()
