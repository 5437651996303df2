import sys
import time
from pathlib import Path

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.interchange import write_document
from passerelle.ingest.linked.tables import TABLES, write_table
from passerelle.ingest.linked.writers import WRITERS, write_dataset


class Command(DatabaseCommand):
    help = (
        "Write every record as one Passerelle interchange document (docs/interchange.md), "
        "or the open dataset of public records as JSON-LD, Turtle or CSV (docs/linked-data.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["json", *WRITERS, "csv"],
            default="json",
            help="json: the interchange document; jsonld, turtle: the linked open dataset "
            "(public records only, always); csv: one table per kind of record, in the folder "
            "given by -o.",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="Only public records, as the open-data export publishes them (json; the "
            "other formats are public-only anyway).",
        )

    def handle(self, *args, **options):
        if options["format"] in WRITERS:
            return self.linked(options["format"], options["output"])
        if options["format"] == "csv":
            return self.tables(options["output"])
        if not options["output"]:
            write_document(sys.stdout, public_only=options["public_only"])
            return
        try:
            with open(options["output"], "w", encoding="utf-8") as out:
                counts = write_document(out, public_only=options["public_only"])
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error.strerror}") from None
        summary = ", ".join(
            f"{counts[s]} {s}"
            for s in ("organizations", "people", "places", "topics", "activities")
        )
        self.stderr.write(f"Wrote {options['output']}: {summary}.")

    def linked(self, format: str, output: str | None) -> None:
        started = time.perf_counter()
        if not output:
            counts = write_dataset(sys.stdout, format)
            return
        try:
            with open(output, "w", encoding="utf-8") as out:
                counts = write_dataset(out, format)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stderr.write(
            f"Wrote {output}: {counts.triples} triples, {counts.same_as} links to other "
            f"registries (sameAs), in {time.perf_counter() - started:.1f} s."
        )

    def tables(self, output: str | None) -> None:
        if not output:
            raise CommandError("--format csv writes one file per table: give a folder with -o.")
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            written = []
            for table in TABLES:
                with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as out:
                    written.append(f"{write_table(out, table)} {table}")
        except OSError as error:
            raise CommandError(f"cannot write in {output}: {error.strerror}") from None
        self.stderr.write(f"Wrote {output}: {', '.join(written)}.")
