"""passerelle backup FILE: a consistent snapshot of the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passerelle.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database to FILE (SQLite file or pg_dump), "
        "readable by its owner only (0600); an existing FILE is kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def handle(self, *args, file: Path, force: bool, **options):
        try:
            backup(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Snapshot written to {file} ({file.stat().st_size / 1e6:.1f} MB).")
