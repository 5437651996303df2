from django.core.management.base import BaseCommand

from passerelle.demo.loading import load_demo_network


class Command(BaseCommand):
    help = (
        "Create and migrate the database when needed, then load the demo network: every "
        "record stated by the cluster's International relations page. Fields changed since "
        "the demo wrote them are kept, and listed."
    )

    def handle(self, *args, **options):
        summary = load_demo_network()
        self.stdout.write(f"Demo network loaded: {summary}.")
        for edit in summary.kept:
            self.stdout.write(f"  {edit}")
