import sys

from django.core.management.base import CommandError
from tqdm import tqdm

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.ror import RorImportAborted, import_ror


class Command(DatabaseCommand):
    help = (
        "Create or update organizations from a ROR dump (.jsonl, .jsonl.gz, .json or .zip; "
        "schema v1 and v2). Fields staff edited are kept and listed as conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A ROR data dump.")
        parser.add_argument(
            "--strict", action="store_true", help="Stop at the first error and write nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--show-errors", type=int, default=20, metavar="N", help="List up to N errors."
        )

    def handle(self, *args, **options):
        def progress(records):
            return tqdm(records, unit=" records", file=sys.stderr, mininterval=0.5)

        try:
            summary = import_ror(
                options["file"],
                strict=options["strict"],
                progress=None if options["no_progress"] else progress,
            )
        except RorImportAborted as error:
            raise CommandError(str(error)) from None
        for error in summary.errors[: options["show_errors"]]:
            self.stderr.write(f"  error: {error}")
        if len(summary.errors) > options["show_errors"]:
            self.stderr.write(f"  … and {len(summary.errors) - options['show_errors']} more errors")
        self.stdout.write(f"ROR import of {options['file']}: {summary}.")
