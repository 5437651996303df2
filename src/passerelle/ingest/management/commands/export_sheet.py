from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.sheets import RESOURCES, SheetError, export_sheet


class Command(DatabaseCommand):
    help = (
        "Write organizations, people, activities or participations to a .csv or .xlsx file, "
        "with the columns import-sheet reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--type", required=True, choices=list(RESOURCES), dest="kind")
        parser.add_argument("-o", "--output", required=True, metavar="FILE.csv|FILE.xlsx")

    def handle(self, *args, **options):
        try:
            count = export_sheet(options["kind"], options["output"])
        except SheetError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Wrote {count} {options['kind']} to {options['output']}.")
