"""Loading the demo network and the demo account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command

from passerelle.ingest.interchange import ImportSummary, import_document

from .network import demo_document
from .portal_texts import load_portal_texts

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "passerelle-demo"


def load_demo_network(*, migrate: bool = True) -> ImportSummary:
    """Create (or bring up to date) the seed network; running it twice changes nothing."""
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    summary = import_document(demo_document(), reason="demo network")
    load_portal_texts()
    return summary


def ensure_demo_account() -> None:
    """A staff superuser for the demo's back office, with a password printed by `make demo`."""
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.org"}
    )
    user.is_staff = user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()
