"""What every benchmark shares: a throw-away database, timing, and the result table."""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable


def setup_database(name: str = "passerelle_bench") -> str:
    """Point Django at a fresh database: ``name`` on the PostgreSQL server DATABASE_URL names,
    or a temporary SQLite file. Returns the engine's short name."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _ = url.rpartition("/")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{base}/{name}"
    else:
        os.environ["PASSERELLE_DATA_DIR"] = tempfile.mkdtemp(prefix="passerelle-bench-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]


def machine() -> str:
    return (
        f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{CLOCK} clock, load {os.getloadavg()[0]:.1f}"
    )


#: ``PASSERELLE_BENCH_CLOCK=cpu`` times the process's own CPU (user + system) instead of the
#: wall: on a machine whose cores are busy with other work, the wall counts the waiting too,
#: the CPU time does not. Meaningful where the work is in-process (SQLite), not where a
#: server does it (PostgreSQL's time is in its own processes).
CLOCK = os.environ.get("PASSERELLE_BENCH_CLOCK", "wall")
if CLOCK not in {"wall", "cpu"}:
    raise SystemExit(f"PASSERELLE_BENCH_CLOCK={CLOCK!r}: use wall or cpu")
_now = time.process_time if CLOCK == "cpu" else time.perf_counter


def timed(function: Callable[[], object], repeat: int = 1) -> list[float]:
    """Milliseconds per call, on the clock CLOCK names."""
    times = []
    for _ in range(repeat):
        start = _now()
        function()
        times.append((_now() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def row(
    name: str,
    times: list[float],
    baseline: list[float] | None = None,
    unit: str = "ms",
) -> str:
    median = statistics.median(times)
    ratio = f"{median / statistics.median(baseline):7.2f}×" if baseline else "        "
    return f"{name:<58} {median:10.1f} {p95(times):10.1f} {ratio}  {unit}"


HEADER = f"{'measure':<58} {'median':>10} {'p95':>10} {'ratio':>8}"
