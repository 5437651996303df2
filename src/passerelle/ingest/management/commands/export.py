import sys

from django.core.management.base import BaseCommand, CommandError

from passerelle.ingest.interchange import write_document


class Command(BaseCommand):
    help = "Write every record as one Passerelle interchange document (docs/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["json"], default="json", help="Document format (json)."
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="Only public records, as the open-data export publishes them.",
        )

    def handle(self, *args, **options):
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
