"""Benchmark of the open dataset's export: Turtle, JSON-LD and CSV, against the interchange
export of the same public records as a baseline measured in the same run.

Run: ``PYTHONPATH=src PASSERELLE_BENCH_CLOCK=cpu .venv/bin/python -m bench.opendata
--reuse DIR`` where DIR is a copy of a data directory (the medium set: ``cp -r
/work/bench/medium /tmp/medium``), or without ``--reuse`` on a fresh database holding the
demo only. Each export is written to a counting sink (nothing kept in memory but the
chunk being written), ``--repeat`` times; it prints the median, the p95, the triples and
the sameAs links, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource


class Sink:
    """A file that counts what it is given and keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", default="", help="a data directory to read (a copy)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-jsonld", action="store_true")
    args = parser.parse_args()
    from .common import HEADER, machine, row, setup_database, timed

    if args.reuse:
        os.environ["PASSERELLE_DATA_DIR"] = args.reuse
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
        import django

        django.setup()
        engine = f"sqlite3 (reused {args.reuse})"
    else:
        engine = setup_database("passerelle_bench_opendata")
        from passerelle.demo.loading import load_demo_network

        load_demo_network(migrate=False)

    from passerelle.activities.models import Activity, Participation
    from passerelle.core.visibility import public, public_participations
    from passerelle.ingest.interchange import write_document
    from passerelle.ingest.linked.tables import TABLES, write_table
    from passerelle.ingest.linked.writers import Counts, dataset_chunks

    activities = public(Activity.objects.all()).count()
    participations = public_participations(Participation.objects.all()).count()
    print(f"# {engine}; {machine()}")
    print(f"# public activities: {activities}, public participations: {participations}")
    print(HEADER)
    baseline = timed(lambda: write_document(Sink(), public_only=True), args.repeat)
    print(row("interchange JSON, public records (baseline)", baseline), flush=True)
    found: dict[str, Counts] = {}
    sizes: dict[str, int] = {}

    def export(format: str) -> None:
        counts, sink = Counts(), Sink()
        for text in dataset_chunks(format, counts=counts):
            sink.write(text)
        found[format], sizes[format] = counts, sink.size

    formats = ["turtle"] if args.skip_jsonld else ["turtle", "jsonld"]
    for format in formats:
        times = timed(lambda format=format: export(format), args.repeat)
        print(row(f"open dataset, {format}", times, baseline), flush=True)
    times = timed(lambda: [write_table(Sink(), t) for t in TABLES], args.repeat)
    print(row("CSV, the six tables", times, baseline), flush=True)
    for format, counts in found.items():
        print(
            f"# {format}: {counts.triples} triples, {counts.same_as} sameAs, "
            f"{sizes[format] / 1e6:.1f} MB written"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
