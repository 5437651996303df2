"""passerelle restore FILE: put the database back as a snapshot has it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passerelle.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database by the snapshot in FILE, written by `passerelle backup` on "
        "the same kind of database. All or nothing: a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file: Path, yes: bool, **options):
        if not yes and input(f"Replace the whole database by {file}? [y/N] ").lower() != "y":
            raise CommandError("Nothing restored.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from error
        self.stdout.write(f"Database restored from {file}.")
