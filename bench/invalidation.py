"""The share of portal page requests served from cache while records are edited (issue 19).

Run: ``PASSERELLE_BENCH_CLOCK=cpu .venv/bin/python -m bench.invalidation [--scale small]
[--requests 600] [--every 10] [--reuse DATA_DIR]`` (SQLite; ``REDIS_URL`` for the cache in
Redis, as in production). On the ROR records, the demo network and ``generate --scale``:
the same seeded run of page requests, an edit every ``--every`` requests (a small
partner's description, the hub's, an activity in France's summary, its title, a new
participation of the small partner), twice:

- *one version*: every edit renews every page, as the single content_version did;
- *by dependency*: every edit renews the keys it touches (core.dependencies).

It prints the share of requests answered ``X-Passerelle-Cache: hit``, per group of pages
and in all, and the time per request (median, p95) and of the whole run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from collections import Counter, defaultdict

from .common import CLOCK, HEADER, _now, p95, row
from .imports import open_scale


def edits(small, hub, activity, rng: random.Random) -> list:
    """The edits the run cycles through: (name, function)."""
    from passerelle.activities.models import Activity, Participation
    from passerelle.registry.models import Organization

    counter = iter(range(10**6))

    def describe(organization):
        def edit():
            record = Organization.objects.get(pk=organization.pk)
            record.description_en = f"edited {next(counter)}"
            record.save()

        return edit

    def summary():
        record = Activity.objects.get(pk=activity.pk)
        record.summary_en = f"Summary, edited {next(counter)}."
        record.save()

    def title():
        record = Activity.objects.get(pk=activity.pk)
        record.title_en = f"{activity.title_en} ({next(counter)})"
        record.save()

    def participation():
        others = Activity.objects.filter(visibility="public").exclude(
            participations__organization=small
        )
        target = others.order_by("pk")[rng.randrange(100)]
        Participation.objects.create(activity=target, organization=small, role="partner")

    return [
        ("a small partner's description", describe(small)),
        ("the hub's description", describe(hub)),
        ("an activity in France: its summary", summary),
        ("an activity in France: its title", title),
        ("a new participation of the small partner", participation),
    ]


def page_addresses(hub, small, activity, rng: random.Random) -> list[tuple[str, str, float]]:
    """(group, address, weight): the pages readers ask for, the popular ones more often."""
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization

    pages = [
        ("network-wide", "/en/", 8),
        ("network-wide", "/en/international-relations/", 5),
        ("network-wide", "/en/timeline/", 2),
        ("network-wide", "/en/topics/", 2),
        ("network-wide", "/en/countries/", 2),
        ("map", "/en/map/", 5),
        ("France", "/en/countries/fr/", 5),
        ("other countries", "/en/countries/it/", 2),
        ("other countries", "/en/countries/de/", 2),
        ("other countries", "/en/countries/us/", 2),
        ("the hub", f"/en/organizations/{hub.uid}/", 5),
        ("the hub", f"/en/organizations/{hub.uid}/activities/", 1),
        ("the small partner", f"/en/organizations/{small.uid}/", 1),
        ("the edited activity", f"/en/activities/{activity.uid}/", 1),
        ("topic", "/en/topics/lung-cancer/", 2),
    ]
    public_orgs = list(
        Organization.objects.filter(visibility="public", participations__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("uid", flat=True)[:2000]
    )
    public_activities = list(
        Activity.objects.filter(visibility="public").order_by("pk").values_list("uid", flat=True)
    )
    for uid in rng.sample(public_orgs, min(60, len(public_orgs))):
        pages.append(("other records", f"/en/organizations/{uid}/", 0.5))
    for uid in rng.sample(public_activities, min(60, len(public_activities))):
        pages.append(("other records", f"/en/activities/{uid}/", 0.5))
    return pages


def run(client, pages, changes, requests: int, every: int, seed: int, one_version: bool):
    """One seeded run: (hits per group, requests per group, ms per request, ms in all)."""
    from passerelle.core import dependencies

    rng = random.Random(seed)
    weights = [w for _, _, w in pages]
    for _, url, _ in pages:  # a warm cache to start from
        client.get(url)
    hits: Counter = Counter()
    asked: Counter = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    start_all = _now()
    for n in range(requests):
        if n and n % every == 0:
            _, edit = changes[(n // every) % len(changes)]
            edit()
            if one_version:
                dependencies.renew_everything()  # the single version of before: all pages go
        group, url, _ = rng.choices(pages, weights)[0]
        start = _now()
        response = client.get(url)
        elapsed = (_now() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        status = response["X-Passerelle-Cache"]
        asked[group] += 1
        hits[group] += status == "hit"
        times[status].append(elapsed)
    return hits, asked, times, (_now() - start_all) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--every", type=int, default=10, help="an edit every N requests")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--reuse", default="", help="an earlier run's SQLite data directory")
    args = parser.parse_args()
    # edits' background work waits in the database's queue, as without Redis (not worked)
    os.environ.setdefault("PASSERELLE_TASKS", "db")
    open_scale(args.reuse, "passerelle_bench_invalidation", args.scale)
    print(f"# data directory {os.environ.get('PASSERELLE_DATA_DIR', '')} (for --reuse)")

    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from passerelle.activities.models import Activity
    from passerelle.core.visibility import public
    from passerelle.portal.pages import country_activities
    from passerelle.registry.models import Organization

    setup_test_environment()
    print(f"# cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}, clock {CLOCK}")
    counts = (
        public(Organization.objects.all())
        .annotate(n=Count("participations"))
        .filter(n__gt=0)
        .order_by("-n")
    )
    hub = counts[0]
    small = counts.filter(n__lte=3).exclude(place__country="FR").order_by("pk").first()
    activity = country_activities("FR").order_by("pk").first()
    activity = Activity.objects.get(pk=activity.pk)
    print(
        f"# {Organization.objects.count():,} organizations, {Activity.objects.count():,} "
        f"activities; hub {hub.display_name!r} ({hub.n:,} participations), small partner "
        f"{small.display_name!r} ({small.n}), activity in France {activity.title_en!r}"
    )
    rng = random.Random(args.seed)
    pages = page_addresses(hub, small, activity, rng)
    changes = edits(small, hub, activity, rng)
    print(f"# {args.requests} requests over {len(pages)} pages, an edit every {args.every}:")
    for name, _ in changes:
        print(f"#   {name}")
    results = {}
    for label, one_version in (("one version", True), ("by dependency", False)):
        results[label] = run(
            Client(), pages, changes, args.requests, args.every, args.seed, one_version
        )
    groups = sorted({g for g, _, _ in pages})
    print(f"\n{'share served from cache':<40} {'one version':>14} {'by dependency':>14}")
    for group in [*groups, "all"]:
        cells = []
        for label in results:
            hits, asked, _, _ = results[label]
            h = sum(hits.values()) if group == "all" else hits[group]
            a = sum(asked.values()) if group == "all" else asked[group]
            cells.append(f"{100 * h / a:6.1f}% ({a:3d})" if a else "-")
        print(f"{group:<40} {cells[0]:>14} {cells[1]:>14}")
    print()
    print(HEADER)
    baseline = [t for ts in results["one version"][2].values() for t in ts]
    for label, (_, _, times, total) in results.items():
        every_request = [t for ts in times.values() for t in ts]
        print(row(f"{label}: a request", every_request, baseline))
        for status in ("hit", "miss"):
            if times[status]:
                print(row(f"{label}: a {status} ({len(times[status])})", times[status]))
        print(f"{f'{label}: the whole run (ms)':<58} {total:10.0f}")
    print(
        f"# median of all requests, one version: {statistics.median(baseline):.1f} ms; p95 "
        f"{p95(baseline):.1f}"
    )


if __name__ == "__main__":
    main()
