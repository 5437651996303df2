"""Imports and identity at scale: ROR import, re-import, entity resolution, back office.

Run: ``.venv/bin/python -m bench.imports`` (SQLite), or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`` (PostgreSQL). It works in a
throw-away database and prints medians, p95 and ratios against baselines of the
same run; docs/PERFORMANCE.md records the figures with the machine.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from .common import HEADER, machine, row, setup_database, timed

DUMP = Path(__file__).resolve().parent.parent.parent / "shared/data/ror/ror-records-51k.jsonl.gz"
#: The tables a ROR import writes, parents first.
IMPORTED_TABLES = [
    "registry_place",
    "registry_historicalplace",
    "registry_organization",
    "registry_historicalorganization",
    "registry_organizationname",
    "registry_identifier",
    "registry_organizationrelationship",
    "ingest_externalrecord",
]


def passerelle(*args: str) -> tuple[float, float]:
    """Run a passerelle command in a child process: (seconds, peak resident memory in MB of the
    largest process, the child or one of its workers)."""
    seconds, megabytes, _ = passerelle_tree(*args)
    return seconds, megabytes


def passerelle_tree(*args: str) -> tuple[float, float, float]:
    """:func:`passerelle`, and the peak of the resident memory of the child and all its
    descendants together (a process pool's workers), sampled from /proc every 50 ms. Pages
    a forked worker shares with its parent count twice: the sum errs on the high side."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "passerelle", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            tree_peak[0] = max(tree_peak[0], _tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if status:
        raise SystemExit(f"passerelle {' '.join(args)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, tree_peak[0] / 1024


def _tree_rss_kb(root: int) -> int:
    """Resident memory (kB) of ``root`` and every process descending from it, from /proc."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0"))
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0] or 0)
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree)


def load_scale(scale: str) -> None:
    """The realistic data set the page benchmarks read: the 51k ROR records, the demo
    network and ``generate --scale``, each timed and printed."""
    seconds, _ = passerelle("import-ror", str(DUMP), "--no-progress")
    print(f"{'import-ror (seconds)':<58} {seconds:10.1f}")
    passerelle("load-demo")
    seconds, _ = passerelle("generate", "--scale", scale, "--no-progress")
    print(f"{f'generate --scale {scale} (seconds)':<58} {seconds:10.1f}")


def open_scale(reuse: str, name: str, scale: str) -> str:
    """The database a page benchmark reads, and its line for the output's header: the data
    directory of an earlier SQLite run (``--reuse``: nothing loaded), or a fresh database
    ``name`` filled by :func:`load_scale`."""
    if not reuse:
        engine = setup_database(name)
        header = f"# {engine}; {machine()}"
        print(header, flush=True)
        load_scale(scale)
        return header
    os.environ["PASSERELLE_DATA_DIR"] = reuse
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a copy made before the latest migrations
    header = f"# sqlite3 (reused {reuse}); {machine()}"
    print(header)
    return header


def clear_imported() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in reversed(IMPORTED_TABLES):
            cursor.execute(f"DELETE FROM {table}")


def raw_insert_seconds(engine: str) -> float:
    """The physical limit: the rows the import wrote, inserted again with no Python in the way
    (COPY on PostgreSQL, executemany on SQLite), into the same tables and indexes."""
    from django.db import connection, transaction

    tables = {}
    with connection.cursor() as cursor:
        for table in IMPORTED_TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            tables[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    clear_imported()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in tables.items():
            names = ", ".join(f'"{c}"' for c in columns)
            if engine == "postgresql":
                from psycopg.types.json import Jsonb

                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row([Jsonb(v) if isinstance(v, dict) else v for v in values])
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return time.perf_counter() - start


def labelled_queries(seed: int, size: int) -> tuple[list, list]:
    """Queries with their right answer, from ROR itself: clean variants (ROR's own aliases,
    labels in other languages, acronyms, and names with other accents, case and punctuation)
    and noisy ones (typos, a dropped word, "Univ." forms, shuffled words)."""
    from passerelle.ingest.ror_records import RawRecord, RorRecord, digest_of, parse

    rng = random.Random(seed)
    records: list[RorRecord] = []
    with gzip.open(DUMP, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            parsed = parse(RawRecord(f"line {number}", digest_of(line), line))
            if isinstance(parsed, RorRecord):
                records.append(parsed)
    sample = rng.sample(records, size)
    clean, noisy = [], []
    for record in sample:
        options = (
            [("alias", v) for v, _ in record.aliases]
            + [("label", v) for v, _ in record.labels]
            + [("acronym", a) for a in record.acronyms]
        )
        if options:
            clean.append((*rng.choice(options), record))
        clean.append(("restyled name", _restyle(record.name, rng), record))
        noisy.append(("typo", _typo(record.name, rng), record))
        words = record.name.split()
        if len(words) >= 3:
            words.pop(rng.randrange(len(words)))
            noisy.append(("dropped word", " ".join(words), record))
        if "University" in record.name:
            noisy.append(("Univ. form", record.name.replace("University", "Univ."), record))
        shuffled = record.name.split()
        rng.shuffle(shuffled)
        noisy.append(("shuffled words", " ".join(shuffled), record))
    return clean, noisy


def _restyle(name: str, rng: random.Random) -> str:
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return rng.choice([plain.upper(), plain.lower(), plain.replace(" ", "-"), f"{name}."])


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 6:
        return name
    i = rng.choice(letters[2:])
    operation = rng.choice(["drop", "swap", "double", "replace"])
    if operation == "drop":
        return name[:i] + name[i + 1 :]
    if operation == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if operation == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + rng.choice("aeiourstn") + name[i + 1 :]


def quality(resolver, queries: list) -> dict[str, tuple[float, float, int]]:
    """precision@1 and recall@5 per kind of query."""
    hits: dict[str, list[tuple[bool, bool]]] = {}
    for kind, text, record in queries:
        ranked = [c.ror for c in resolver.resolve(text, country=record.country, limit=5)]
        hits.setdefault(kind, []).append(
            (bool(ranked) and ranked[0] == record.ror, record.ror in ranked)
        )
    result = {
        kind: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v), len(v))
        for kind, v in hits.items()
    }
    every = [h for v in hits.values() for h in v]
    result["all"] = (
        sum(a for a, _ in every) / len(every),
        sum(b for _, b in every) / len(every),
        len(every),
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="ROR imports to time")
    parser.add_argument("--names", type=int, default=10_000, help="names to resolve")
    parser.add_argument("--scale", default="large", help="data set for the back-office pages")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--only-ror", action="store_true", help="the ROR import's figures only, then stop"
    )
    args = parser.parse_args()
    engine = setup_database("passerelle_bench_imports")
    print(f"# {engine}; {machine()}")
    print(HEADER)

    # -- ROR import: full load, the physical baseline, unchanged re-import
    loads, memory, tree_memory = [], [], []
    for _ in range(args.runs):
        clear_imported()
        seconds, megabytes, tree = passerelle_tree("import-ror", str(DUMP), "--no-progress")
        loads.append(seconds * 1000)
        memory.append(megabytes)
        tree_memory.append(tree)
    baseline = [raw_insert_seconds(engine) * 1000 for _ in range(args.runs)]
    clear_imported()
    passerelle("import-ror", str(DUMP), "--no-progress")
    reloads = [
        passerelle("import-ror", str(DUMP), "--no-progress")[0] * 1000 for _ in range(args.runs)
    ]
    print(row("baseline: raw insert of the rows the import writes", baseline))
    print(row("ROR import, 51,370 records, empty database", loads, baseline))
    print(
        f"{'  peak memory of the import (MB)':<58} {statistics.median(memory):10.0f} "
        f"{max(memory):10.0f}"
    )
    print(
        f"{'  peak memory, the import and its workers together (MB)':<58} "
        f"{statistics.median(tree_memory):10.0f} {max(tree_memory):10.0f}"
    )
    print(row("ROR re-import, unchanged file", reloads))
    if args.only_ror:
        return

    # -- entity resolution: speed against the 51k, quality on a labelled set from ROR
    from passerelle.ingest.resolution import resolver_from_database

    build = timed(resolver_from_database)
    resolver = resolver_from_database()
    print(row("resolver index over 51k organizations (build)", build))
    clean, noisy = labelled_queries(seed=1, size=4000)
    queries = (clean + noisy) * (args.names // len(clean + noisy) + 1)
    queries = queries[: args.names]
    per_query = []
    start = time.perf_counter()
    for _, text, record in queries:
        per_query.append(timed(lambda t=text, c=record.country: resolver.resolve(t, country=c))[0])
    total = time.perf_counter() - start
    print(f"{f'resolve {len(queries):,} names (total seconds)':<58} {total:10.2f}")
    print(row("  one name", per_query))
    for label, subset in (("clean", clean), ("noisy", noisy)):
        for kind, (precision, recall, count) in quality(resolver, subset).items():
            print(
                f"  {label:<6} {kind:<20} n={count:<6} precision@1 {precision:.3f}"
                f"  recall@5 {recall:.3f}"
            )
    inca = resolver.resolve("Institut National du Cancer", country="FR")[0]
    print(f"  'Institut National du Cancer', FR -> {inca.name} ({inca.ror})")

    # -- the back office on a large network
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from passerelle.demo.loading import ensure_demo_account
    from passerelle.registry.models import Organization

    passerelle("load-demo")
    seconds, _ = passerelle("generate", "--scale", args.scale, "--no-progress")
    print(f"{f'generate --scale {args.scale} (seconds)':<58} {seconds:10.1f}")
    ensure_demo_account()
    setup_test_environment()
    client = Client()
    # signed in without the sign-in form: django-axes wants a request to check it against
    client.force_login(get_user_model().objects.get(username="demo"))
    hub = (
        Organization.objects.annotate(n=Count("participations"))
        .order_by("-n")
        .values_list("pk", "n")
        .first()
    )
    static = timed(lambda: client.get("/en/admin/login/"), args.requests)
    print(row("baseline: admin login page (no data)", static))
    for name, url in (
        ("organization list", "/en/admin/registry/organization/"),
        (
            f"organization detail, {hub[1]:,} participations",
            f"/en/admin/registry/organization/{hub[0]}/change/",
        ),
        ("activity list", "/en/admin/activities/activity/"),
        (
            "participation list of that organization",
            f"/en/admin/activities/participation/?organization__id__exact={hub[0]}",
        ),
    ):
        client.get(url)
        print(
            row(f"back office: {name}", timed(lambda u=url: client.get(u), args.requests), static)
        )
    seconds, megabytes = passerelle("export", "--format", "json", "-o", os.devnull)
    print(f"{'JSON export of everything (seconds, peak MB)':<58} {seconds:10.1f} {megabytes:10.0f}")


if __name__ == "__main__":
    main()
