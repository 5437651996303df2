"""The desk of figures and the annual report at scale.

Run: ``.venv/bin/python -m bench.figures --reuse DIR [--repeat N] [--year Y]`` on a COPY
of a medium data directory (``cp -r /work/bench/medium /tmp/x``; it is migrated first),
or without ``--reuse`` to load ``--scale`` into a throw-away database. Times, in
milliseconds, beside a page that reads no data: every figure computed alone (public and
staff), the public figures page and the staff one, uncached (the page cache is cleared
before each call); then the report of one year as HTML, XLSX and PDF (a few runs each).
"""

from __future__ import annotations

import argparse
import os

from .common import HEADER, machine, row, setup_database, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--year", type=int, default=0, help="the report's year (the busiest)")
    parser.add_argument("--reuse", default="", help="a data directory (a copy): no loading")
    parser.add_argument("--report-only", action="store_true", help="time the report alone")
    args = parser.parse_args()
    if args.reuse:
        os.environ["PASSERELLE_DATA_DIR"] = args.reuse
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"# sqlite3 (reused {args.reuse}); {machine()}")
    else:
        from .imports import load_scale

        engine = setup_database("passerelle_bench_figures")
        print(f"# {engine}; {machine()}")
        load_scale(args.scale)

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import translation

    from passerelle.activities.models import Activity, Participation
    from passerelle.insights.figure_tables import Filters
    from passerelle.insights.figures import FIGURES

    setup_test_environment()
    translation.activate("en")
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-figures", defaults={"is_staff": True, "is_superuser": True}
    )
    year = args.year or int(
        Activity.objects.filter(visibility="public")
        .exclude(start="")
        .annotate(y=Substr("start", 1, 4))
        .values("y")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("y", flat=True)
        .first()
        or 2024
    )
    print(
        f"# {Activity.objects.count()} activities, {Participation.objects.count()} "
        f"participations; the report's year {year}"
    )
    print(HEADER, flush=True)
    client = Client()
    client.get("/en/admin/login/")
    baseline = timed(lambda: client.get("/en/admin/login/"), args.repeat * 4)
    print(row("baseline: a page that reads no data (admin login)", baseline))
    if args.report_only:
        _report(year, baseline, max(1, args.repeat // 2))
        return
    for key, compute in FIGURES.items():
        times = timed(lambda compute=compute: compute(None, Filters()), args.repeat)
        print(row(f"figure {key}, public, every year", times, baseline), flush=True)
    for key, compute in FIGURES.items():
        times = timed(lambda compute=compute: compute(admin, Filters()), args.repeat)
        print(row(f"figure {key}, administrator, every year", times, baseline))

    def public_page() -> None:
        cache.clear()
        assert client.get("/en/figures/").status_code == 200

    print(row("public figures page, uncached", timed(public_page, args.repeat), baseline))
    client.get("/en/figures/")
    print(
        row(
            "public figures page, cached",
            timed(lambda: client.get("/en/figures/"), args.repeat * 4),
            baseline,
        )
    )
    staff = Client()
    staff.force_login(admin)
    staff_times = timed(lambda: staff.get("/en/admin/figures/"), args.repeat)
    print(row("staff figures page (administrator)", staff_times, baseline))
    filtered = f"/en/admin/figures/?since={year}&until={year}"
    print(
        row(
            f"staff figures page, {year} only",
            timed(lambda: staff.get(filtered), args.repeat),
            baseline,
        )
    )
    _report(year, baseline, max(2, args.repeat // 2))


def _report(year: int, baseline: list[float], runs: int) -> None:
    from passerelle.portal.report import build
    from passerelle.portal.report.render import render

    print(row(f"report {year}: build (data)", timed(lambda: build(year, "en"), runs), baseline))
    report = build(year, "fr")
    print(f"# the report of {year}: {len(report.appendix)} activities in the appendix", flush=True)
    for kind in ("html", "xlsx", "pdf"):
        times = timed(lambda kind=kind: render(report, kind), runs)
        print(row(f"report {year}: render {kind} (fr)", times, baseline), flush=True)


if __name__ == "__main__":
    main()
