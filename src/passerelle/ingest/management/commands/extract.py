import json
import sys

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.extraction import ExtractionError, extract_path
from passerelle.ingest.extraction.reading import MAX_BYTES


class Command(DatabaseCommand):
    help = (
        "Propose records from a press release: organizations, people, places, dates, topics "
        "and activities, each with the sentence and offsets it comes from and the record it "
        f"matches. FILE is plain text, an HTML page or a .docx (at most {MAX_BYTES:,} bytes). "
        "Nothing is written: the back office's review queue turns proposals into records."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .txt, .html or .docx file.")
        parser.add_argument("--lang", choices=["fr", "en"], help="Detected when not given.")
        parser.add_argument(
            "--json", action="store_true", help="The shape of shared/extraction/README.md."
        )
        parser.add_argument(
            "--no-model", action="store_true", help="Rules and gazetteer only (no French parse)."
        )

    def handle(self, *args, **options):
        try:
            extraction = extract_path(
                options["file"], language=options["lang"], use_model=not options["no_model"]
            )
        except ExtractionError as error:
            raise CommandError(str(error)) from None
        result = extraction.as_json()
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
            return
        write = self.stdout.write
        write(f"Language: {result['language']}" + (
            f"; published {result['published']}" if result["published"] else ""))  # fmt: skip
        for org in result["organizations"]:
            match = org["match"]
            known = f"→ {match['name']} ({match['score']:.0f})" if match else "(new)"
            place = ", ".join(p for p in (org["city"], org["country"]) if p)
            aliases = f" [{', '.join(org['aliases'])}]" if org["aliases"] else ""
            write(f"organization  {org['name']}{aliases} {org['kind']} {place} {known}")
        for person in result["people"]:
            known = f"→ {person['match']['name']}" if person["match"] else "(new)"
            title = f"{person['title']} " if person["title"] else ""
            role = f", {person['role']}" if person["role"] else ""
            write(f"person        {title}{person['name']}{role} {known}")
        for place in result["places"]:
            write(f"place         {place['city'] or '—'}, {place['country']}")
        for activity in result["activities"]:
            roles = "; ".join(f"{r['name']} ({r['role']})" for r in activity["roles"])
            date = f" {activity['date']}" if activity["date"] else ""
            write(f"activity      {activity['kind']}: {activity['label']}{date} — {roles}")
            write(f"              “{activity['sentence']}” [{activity['start']}:{activity['end']}]")
        if result["topics"]:
            write("topics        " + ", ".join(t["name"] for t in result["topics"]))
