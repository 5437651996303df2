"""``passerelle report --year Y [--lang fr|en] --format pdf|xlsx|html -o FILE``"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.portal.report.render import FORMATS, make


class Command(DatabaseCommand):
    help = "Write the annual report of a year (public records only), and keep it as made."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--lang", choices=("en", "fr"), default="en")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, year, lang, format, output, **options):
        if not 1900 <= year <= 2100:
            raise CommandError(f"--year {year}: a year between 1900 and 2100.")
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(f"-o {output}: the folder {target.parent} does not exist.")
        content = make(year, lang, format)
        target.write_bytes(content)
        self.stdout.write(f"{target}: the {year} report, {lang}, {format}, {len(content)} bytes")
