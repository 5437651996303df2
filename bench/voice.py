"""The International relations page's computed path, before and after a change, in one run.

Run: ``.venv/bin/python -m bench.voice --before OLD/src [--scale small] [--repeat 20]
[--reuse DATA_DIR] [--rounds 2]`` (SQLite). One database is built with this checkout (ROR,
the demo, ``generate``), or reused from a data folder built so; the page is then timed by
each checkout in its own process, rounds alternating before and after, on that same
database: the
older code reads the newer schema (its new columns have database defaults). Computed
means the page cache renewed before each request, as after any edit; server time
through Django's handler, in milliseconds, with what is loaded set apart from the garbage
collector as ``passerelle.wsgi`` does in production (``gc.freeze()``), for both.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .common import machine, setup_database
from .imports import DUMP, passerelle

TIMER = """
import os, statistics, time
cpu = os.environ.get("PASSERELLE_BENCH_CLOCK") == "cpu"
clock = time.process_time if cpu else time.perf_counter
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from passerelle.core.changes import records_changed
setup_test_environment()
client = Client()
paths = ("/en/international-relations/", "/fr/relations-internationales/")
for path in paths:
    assert client.get(path).status_code == 200
import gc
gc.freeze()  # as passerelle.wsgi does once the app is loaded, for both checkouts
for path in paths:
    times = []
    for _ in range({repeat}):
        records_changed()
        start = clock()
        client.get(path)
        times.append((clock() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{{path:<36}} median {{statistics.median(times):7.1f}} ms   p95 {{p95:7.1f}} ms")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the src/ folder of the older code")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="before/after pairs, alternated")
    parser.add_argument("--reuse", help="a data folder (PASSERELLE_DATA_DIR) already built")
    parser.add_argument(
        "--before-data",
        help="the older code's own data folder, built by it, when it cannot read the newer "
        "schema (a column since removed)",
    )
    args = parser.parse_args()
    if args.reuse:
        os.environ["PASSERELLE_DATA_DIR"] = args.reuse
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
        print(f"# sqlite (reused {args.reuse}); {machine()}")
    else:
        engine = setup_database("passerelle_bench_voice")
        print(f"# {engine}; {machine()}; scale {args.scale}")
        passerelle("import-ror", str(DUMP), "--no-progress")
        passerelle("load-demo")
        passerelle("generate", "--scale", args.scale, "--no-progress")
    here = str(Path(__file__).resolve().parent.parent / "src")
    after_data = os.environ.get("PASSERELLE_DATA_DIR", "")
    before_data = args.before_data or after_data
    runs = [("before", args.before, before_data), ("after", here, after_data)] * args.rounds
    for name, source, data in runs:
        print(f"## {name}: {source}, data {data or os.environ.get('DATABASE_URL')}; {machine()}")
        env = {**os.environ, "PYTHONPATH": source, "PASSERELLE_DATA_DIR": data}
        result = subprocess.run(
            [sys.executable, "-c", TIMER.format(repeat=args.repeat)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        print(result.stdout.strip() or result.stderr.strip()[-2000:])


if __name__ == "__main__":
    main()
