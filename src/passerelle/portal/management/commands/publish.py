"""passerelle publish OUT_DIR: the public site as static files."""

from pathlib import Path

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.portal.publishing import PublishError, publish


class Command(DatabaseCommand):
    help = (
        "Write the whole public site (both languages, JSON versions, sitemap) as static files "
        "with relative links, ready for any static web server. The previous copy in OUT_DIR is "
        "replaced only when the new one is complete; a directory that holds anything else is "
        "refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path)
        parser.add_argument(
            "--base-url",
            default="http://localhost",
            help="where the copy will be served, for canonical links and the sitemap",
        )

    def handle(self, *args, out_dir: Path, base_url: str, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url {base_url!r}: give an http:// or https:// address")
        if out_dir.exists() and not out_dir.is_dir():
            raise CommandError(f"{out_dir} exists and is not a directory")
        try:
            summary = publish(out_dir, base_url=base_url)
        except PublishError as error:
            raise CommandError(f"Nothing published: {error}") from error
        self.stdout.write(f"Published to {out_dir}: {summary}")
