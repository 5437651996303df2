"""The International relations page's computed path, before and after a change, in one run.

Run: ``.venv/bin/python -m bench.voice --before OLD/src [--scale small] [--repeat 20]``
(SQLite). One database is built with this checkout (ROR, the demo, ``generate``); the
page is then timed by each checkout in its own process, on that same database: the
older code reads the newer schema (its new columns have database defaults). Computed
means the page cache renewed before each request, as after any edit; server time
through Django's handler, in milliseconds.
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
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from passerelle.core.changes import records_changed
setup_test_environment()
client = Client()
for path in ("/en/international-relations/", "/fr/relations-internationales/"):
    assert client.get(path).status_code == 200
    times = []
    for _ in range({repeat}):
        records_changed()
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{{path:<36}} median {{statistics.median(times):7.1f}} ms   p95 {{p95:7.1f}} ms")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the src/ folder of the older code")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    engine = setup_database("passerelle_bench_voice")
    print(f"# {engine}; {machine()}; scale {args.scale}")
    passerelle("import-ror", str(DUMP), "--no-progress")
    passerelle("load-demo")
    passerelle("generate", "--scale", args.scale, "--no-progress")
    here = str(Path(__file__).resolve().parent.parent / "src")
    for name, source in (("before", args.before), ("after", here)):
        print(f"## {name}: {source}")
        env = {**os.environ, "PYTHONPATH": source}
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
