from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.sheets import RESOURCES, SheetError, import_sheet, read_sheet


class Command(DatabaseCommand):
    help = (
        "Check a spreadsheet (.csv or .xlsx) of organizations, people, activities or "
        "participations, and list every refused row; with --confirm, import it: all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--type", required=True, choices=list(RESOURCES), dest="kind")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Write the rows (without it, nothing is written: a dry run).",
        )

    def handle(self, *args, **options):
        try:
            report = import_sheet(
                read_sheet(options["file"]), options["kind"], confirm=options["confirm"]
            )
        except SheetError as error:
            raise CommandError(str(error)) from None
        for problem in report.problems:
            self.stderr.write(f"  refused: {problem}")
        self.stdout.write(f"{options['file']}: {report}.")
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s): nothing was written.")
        if not report.written:
            self.stdout.write("Dry run: nothing was written. Run again with --confirm to import.")
