"""passerelle commitments [--agreement ID] [--json]: every commitment of every agreement, judged."""

from __future__ import annotations

import json

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from passerelle.activities.commitment_facts import EVERY_RECORD
from passerelle.activities.commitments import VERDICT_LABELS, check_all
from passerelle.activities.models import Activity
from passerelle.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Check the agreements' commitments against the recorded activities: what was "
        "promised, what was observed, the verdict (met, on track, due, late, broken, not "
        "checkable) and what is next. Reads every record, as an administrator does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreement", help="an agreement's id (its UUID or number)")
        parser.add_argument("--json", action="store_true", help="one JSON object per commitment")
        parser.add_argument("--language", default="en", choices=("en", "fr"))

    def handle(self, *args, **options):
        agreement = None
        if options["agreement"]:
            key = options["agreement"]
            rows = Activity.objects.filter(kind="agreement")
            if key.isdigit():
                agreement = rows.filter(pk=int(key)).first()
            else:
                agreement = rows.filter(uid=key).first() if _is_uuid(key) else None
            if agreement is None:
                raise CommandError(f"No agreement has the id {key!r}.")
        results = check_all(EVERY_RECORD, agreement=agreement)
        if options["json"]:
            self.stdout.write(
                json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2)
            )
            return
        language = options["language"]
        with translation.override(language):
            if not results:
                # silence would read as "the command did nothing": say what was found
                self.stdout.write(
                    _("The agreement “%(agreement)s” has no commitments recorded.")
                    % {"agreement": agreement}
                    if agreement is not None
                    else _("No agreement has commitments recorded.")
                )
                return
            current = None
            for r in results:
                if r.agreement.pk != current:
                    current = r.agreement.pk
                    self.stdout.write(self.style.MIGRATE_HEADING(str(r.agreement)))
                self.stdout.write(f"  [{VERDICT_LABELS[r.status]}] {r.commitment.text}")
                self.stdout.write(f"      {r.reason.get(language, '')}")
                if r.next_text:
                    self.stdout.write(f"      → {r.next_text.get(language, '')}")
                for o in r.observed:
                    mark = "✓" if o.confirmed else "?"
                    title = (language == "fr" and o.title_fr) or o.title_en
                    self.stdout.write(f"      {mark} {title} {o.date or ''} {o.country or ''}")


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
