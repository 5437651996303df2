"""passerelle insights [--json] [--year Y] [--scope public|staff] [--user NAME]: the network
measured, every actor, the brokers of the region's ties abroad first."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import translation

from passerelle.core.changes import content_version
from passerelle.core.management.base import DatabaseCommand
from passerelle.insights.actors import as_json, measured_rows, named, stored_rows
from passerelle.insights.graph import SCOPES, read_network, scope_reader, tie_graph
from passerelle.insights.measures import measure
from passerelle.insights.models import NetworkMeasures
from passerelle.insights.store import compute


class Command(DatabaseCommand):
    help = (
        "The network's measures for every actor (degree, strength, weighted betweenness, "
        "Burt's constraint, Leiden community, Gould–Fernandez brokerage with the region and "
        "the country as groups), the brokers of the region's ties abroad first. Reads what "
        "every member of staff reads unless --scope public or --user says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="a JSON list of actors")
        parser.add_argument(
            "--year", help="only the activities under way that year (e.g. 2024); default: all"
        )
        parser.add_argument("--scope", default="staff", help=f"one of: {', '.join(SCOPES)}")
        parser.add_argument("--user", help="measure what this account reads (not stored)")
        parser.add_argument("--limit", help="at most this many actors (default: every one)")
        parser.add_argument("--language", default="en", help="en or fr, for names")

    def handle(self, *args, **options):
        year = _year(options["year"])
        limit = _limit(options["limit"])
        if options["scope"] not in SCOPES:
            raise CommandError(f"--scope {options['scope']!r}: use one of {', '.join(SCOPES)}.")
        if options["language"] not in ("en", "fr"):
            raise CommandError(f"--language {options['language']!r}: use en or fr.")
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user {options['user']!r}: no such account.")
            network = read_network(user)
            rows = measured_rows(measure(tie_graph(network, year or None)))
            summary = None
        else:
            user = scope_reader(options["scope"])
            found = current_or_computed(options["scope"], year)
            rows, summary = stored_rows(found), found.summary
        if limit:
            rows = rows[:limit]
        with translation.override(options["language"]):
            shown = named(rows, user)
        if options["json"]:
            self.stdout.write(json.dumps([as_json(r) for r in shown], ensure_ascii=False, indent=2))
            return
        if summary is not None:
            self.stdout.write(
                f"{summary['actors']} actors, {summary['ties']} ties, {summary['activities']} "
                f"activities; {summary['communities']} communities, modularity "
                f"{summary['modularity']:.3f}"
                + ("" if summary["betweenness_exact"] else " (betweenness estimated)")
            )
        if not shown:
            self.stdout.write(
                "No actor took part in an activity" + (f" in {year}." if year else ".")
            )
        self.stdout.write(
            f"{'actor':<44} {'ctry':<4} {'deg':>5} {'betweenness':>12} {'constr':>7} "
            f"{'comm':>5} {'gatek.':>7} {'coord.':>7} {'itin.':>7}"
        )
        for row in shown:
            b = row["brokerage"]
            constraint = "" if row["constraint"] is None else f"{row['constraint']:.3f}"
            self.stdout.write(
                f"{row['name'][:44]:<44} {row['country']:<4} {row['degree']:>5} "
                f"{row['betweenness']:>12.1f} {constraint:>7} {row['community']:>5} "
                f"{b['gatekeeper']:>7} {b['coordinator']:>7} {b['itinerant']:>7}"
            )


def current_or_computed(scope: str, year: int):
    """The stored result when it is of the records as they are; else computed now (the
    command line is no page: it may take the time)."""
    stored = NetworkMeasures.objects.filter(scope=scope, year=year).first()
    if stored is not None and stored.version == content_version():
        return stored
    return compute(scope, year)


def _year(value: str | None) -> int:
    if value in (None, ""):
        return 0
    if not value.isdigit() or not 1000 <= int(value) <= 2999:
        raise CommandError(f"--year {value!r}: give a year of four digits, such as 2024.")
    return int(value)


def _limit(value: str | None) -> int:
    if value in (None, ""):
        return 0
    if not value.isdigit() or int(value) < 1:
        raise CommandError(f"--limit {value!r}: give a whole number of actors, 1 or more.")
    return int(value)
