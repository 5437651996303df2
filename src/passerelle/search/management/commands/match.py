import json

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.search.matching import match


class Command(DatabaseCommand):
    help = (
        "Who should we work with on a theme? Ranks people, organizations, networks to join and "
        "programs to lean on for a call text or theme, and says why. Reads what the public may "
        "read unless --user names an account."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", help="A theme, a call text, or @FILE to read it from a file.")
        parser.add_argument(
            "--kind", choices=["person", "organization", "network", "program"], default=""
        )
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--country", help="Only partners in this country (ISO code, e.g. ES).")
        where.add_argument("--abroad", action="store_true", help="Only partners outside France.")
        where.add_argument("--region", action="store_true", help="Only experts in the region.")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--user", help="Match as this account (what it may read).")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        text = options["text"]
        if text.startswith("@"):
            try:
                with open(text[1:], encoding="utf-8") as source:
                    text = source.read()
            except OSError as error:
                raise CommandError(f"{text[1:]}: {error.strerror}") from error
        country = (options["country"] or "").upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise CommandError(f"--country {options['country']!r}: give an ISO code such as ES.")
        scope = country or (
            "abroad" if options["abroad"] else "region" if options["region"] else ""
        )
        if not 1 <= options["limit"] <= 100:
            raise CommandError("--limit: give a number from 1 to 100.")
        user = AnonymousUser()
        if options["user"]:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user {options['user']!r}: no such account.")
        found = match(text, user=user, kind=options["kind"], scope=scope, limit=options["limit"])
        if options["json"]:
            document = {
                "query": found.query[:200],
                "notes": found.notes,
                "suggestions": [s.as_json() for s in found.suggestions],
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        for note in found.notes:
            self.stderr.write(note)
        if not found.suggestions:
            self.stdout.write("No one fits yet.")
        for rank, suggestion in enumerate(found.suggestions, 1):
            self.stdout.write(
                f"{rank:>2}. {suggestion.name} ({suggestion.group}, {suggestion.country or '?'}) "
                f"{suggestion.score:.2f}"
            )
            for reason in suggestion.reasons:
                self.stdout.write(f"      · {reason}")
            for activity in suggestion.evidence:
                role = activity["role_label"] or activity["role"]
                self.stdout.write(f"      ↳ {activity['title']} ({role})")
