import os
import sys

from passerelle.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Serve Passerelle with gunicorn, for real use. Static files are collected first and "
        "served by WhiteNoise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("PASSERELLE_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "0")) or 2 * (os.cpu_count() or 1) + 1,
        )
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, **options):
        from django.core.management import call_command

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "passerelle.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # the app, and search's vector index, load once in the master and are shared
            "--preload",
        ]
        os.environ["PASSERELLE_PRELOAD"] = "1"
        self.stdout.write(
            f"Serving on http://{options['bind']}/ with {options['workers']} workers."
        )
        sys.stdout.flush()
        os.execv(sys.executable, argv)
