"""passerelle backup FILE: a consistent snapshot of the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passerelle.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent snapshot of the whole database to FILE (SQLite file or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if file.exists() and file.is_dir():
            raise CommandError(f"{file} is a directory: give a file name")
        try:
            backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Snapshot written to {file} ({file.stat().st_size / 1e6:.1f} MB).")
