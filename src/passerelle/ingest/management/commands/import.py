import json

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.interchange import DocumentError, import_document


class Command(DatabaseCommand):
    help = (
        "Create or update records from a Passerelle interchange document; all or nothing: "
        "on any error the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON document written by `passerelle export`.")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, encoding="utf-8") as source:
                document = json.load(source)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{path} is not JSON: {error}") from None
        except RecursionError:
            raise CommandError(f"{path} nests too deeply to be a Passerelle document.") from None
        try:
            summary = import_document(document, reason=f"import {path}")
        except DocumentError as error:
            raise CommandError(f"{path}: {error}\nNothing was imported.") from None
        self.stdout.write(f"Imported {path}: {summary}.")
