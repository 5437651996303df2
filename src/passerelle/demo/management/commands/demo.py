import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from passerelle.demo.loading import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    ensure_demo_account,
    load_demo_network,
)
from passerelle.search import semantic


class Command(BaseCommand):
    help = "Prepare the database, load the demo network, create the demo login and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port to serve.")
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare everything, print the URLs, but do not serve.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo account is not for production: unset PASSERELLE_ENV.")
        call_command("migrate", interactive=False, verbosity=0)
        ensure_demo_account()  # first: it owns the demo's follow-up action
        summary = load_demo_network(migrate=False)
        call_command("reindex", no_progress=True, embeddings=semantic.available(), verbosity=0)
        base = f"http://{options['addr']}"
        self.stdout.write(self.style.SUCCESS(f"Demo network loaded ({summary})."))
        for edit in summary.kept:
            self.stdout.write(f"  {edit}")
        self.stdout.write(
            f"  Database:     {settings.DATABASES['default']['NAME']}\n"
            f"  Public portal: {base}/en/  (French: {base}/fr/)\n"
            f"  International relations: {base}/en/international-relations/  "
            f"(French: {base}/fr/relations-internationales/)\n"
            f"  Back office:  {base}/en/admin/  (French: {base}/fr/admin/)\n"
            f"  Login:        {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
        )
        if options["no_serve"]:
            return
        # the task queue's worker (search cascades, embeddings), stopped with the server
        worker = None
        if settings.TASK_MODE == "db":
            worker = subprocess.Popen(
                [sys.executable, "-m", "passerelle", "db_worker", "--no-reload", "-v", "0"]
            )
            self.stdout.write(f"  Task worker:  running (process {worker.pid})")
        # a SIGTERM (kill, a service manager) ends the server the way Ctrl-C does, so that
        # the worker is stopped with it instead of living on alone
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
