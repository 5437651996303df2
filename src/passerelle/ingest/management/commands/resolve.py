import csv
import json
import sys

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand
from passerelle.ingest.resolution import CONFIDENT_SCORE, confident_match, resolver_from_database


class Command(DatabaseCommand):
    help = (
        "Which known organizations does a name mean? Ranked candidates with a score and the "
        "reasons. Below a confident score "
        f"({CONFIDENT_SCORE:.0f}) it says there is no confident match and marks the candidates "
        "uncertain. With --file, one JSON line per row of a CSV with columns name, city, country."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="An organization's name, in any language.")
        parser.add_argument("--city", default="")
        parser.add_argument("--country", default="", help="ISO 3166 code, e.g. FR.")
        parser.add_argument("--file", help="CSV with a header: name[, city][, country].")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--json", action="store_true", help="JSON output.")

    def handle(self, *args, **options):
        if bool(options["name"]) == bool(options["file"]):
            raise CommandError("Give a NAME or --file NAMES.csv (one of the two).")
        rows = (
            self._rows(options)
            if options["file"]
            else [{"name": options["name"], "city": options["city"], "country": options["country"]}]
        )
        resolver = resolver_from_database()
        if not len(resolver):
            raise CommandError("No organization to resolve against: import some first.")
        for row in rows:
            candidates = resolver.resolve(
                row["name"], city=row["city"], country=row["country"], limit=options["limit"]
            )
            match = confident_match(candidates)
            if options["json"] or options["file"]:
                listed = []
                for c in candidates:
                    listed.append({**c.as_dict(), "confident": c is match})
                answer = {
                    "query": row,
                    "match": listed[0] if match is not None else None,
                    "candidates": listed,
                }
                sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
                continue
            if not candidates:
                self.stdout.write(f"No candidate for “{row['name']}”.")
            elif match is None:
                self.stdout.write(
                    f"No confident match for “{row['name']}” (none scores {CONFIDENT_SCORE:.0f} "
                    "well ahead of the next). Uncertain candidates:"
                )
            for rank, c in enumerate(candidates, start=1):
                place = ", ".join(p for p in (c.city, c.country) if p)
                verdict = "match" if c is match else "uncertain"
                self.stdout.write(
                    f"{rank}. {c.score:5.1f}  {verdict:9}  {c.name}  [{place}]  ROR {c.ror or '—'}"
                    f"  — {'; '.join(c.reasons)}"
                )

    def _rows(self, options):
        try:
            with open(options["file"], newline="", encoding="utf-8-sig") as source:
                reader = csv.DictReader(source)
                if not reader.fieldnames or "name" not in reader.fieldnames:
                    raise CommandError(
                        f"{options['file']}: the header needs a “name” column "
                        f"(found: {', '.join(reader.fieldnames or []) or 'none'})."
                    )
                rows = []
                for number, row in enumerate(reader, start=2):
                    name = (row.get("name") or "").strip()
                    if not name:
                        raise CommandError(f"{options['file']} row {number}: the name is empty.")
                    rows.append(
                        {
                            "name": name,
                            "city": (row.get("city") or "").strip(),
                            "country": (row.get("country") or "").strip(),
                        }
                    )
                return rows
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from None
