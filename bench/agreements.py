"""Benchmark of the commitment checker on a generated network.

Run: ``PYTHONPATH=src .venv/bin/python -m bench.agreements [--scale medium] [--repeat 50]``
(SQLite), or with ``DATABASE_URL=postgres://...``. It imports the ROR organizations,
loads the demo, generates the network, then gives every generated agreement three
commitments (yearly joint events alternating between its parties' countries, five
exchanges a year, two active joint projects), and times, in milliseconds:

- the check of one agreement (every commitment of it), for ``--repeat`` agreements
  picked at random: median and p95 (target: p95 under 50 ms);
- the check of every commitment of every agreement, as the command line reads them
  (every record) and as an editor (the visibility rule in every query): target < 5 s.
"""

from __future__ import annotations

import argparse
import random

from .common import HEADER, row, timed
from .imports import open_scale


def plant_commitments() -> int:
    """Three commitments for each agreement of the generated network that has none: yearly
    joint events alternating between its parties' countries, five exchanges a year, two
    active joint projects. Returns how many commitments the agreements now have."""
    from passerelle.activities.models import Activity, Commitment, Participation

    agreements = Activity.objects.filter(kind="agreement", commitments__isnull=True)
    countries: dict[int, list[str]] = {}
    for activity, country in Participation.objects.filter(
        activity__in=agreements, role="party", organization__place__isnull=False
    ).values_list("activity_id", "organization__place__country"):
        countries.setdefault(activity, []).append(country)
    commitments = []
    for agreement in agreements.order_by("pk"):
        pair = sorted(set(countries.get(agreement.pk, [])))[:2]
        commitments += [
            Commitment(
                agreement=agreement,
                area="joint_events",
                text_en="joint events",
                cadence="yearly",
                alternate_countries=pair if len(pair) == 2 else [],
            ),
            Commitment(
                agreement=agreement,
                area="exchanges",
                text_en="exchanges",
                count=5,
                period="year",
                position=1,
            ),
            Commitment(
                agreement=agreement,
                area="joint_projects",
                text_en="joint projects",
                count=2,
                position=2,
            ),
        ]
    Commitment.objects.bulk_create(commitments, batch_size=2000)
    return Commitment.objects.filter(agreement__kind="agreement").count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--repeat-all", type=int, default=3)
    parser.add_argument(
        "--reuse",
        default="",
        help="the data directory of a previous run (SQLite): time again, generate nothing",
    )
    args = parser.parse_args()
    open_scale(args.reuse, "passerelle_bench_agreements", args.scale)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from passerelle.access.roles import ensure_roles
    from passerelle.activities.commitment_facts import EVERY_RECORD
    from passerelle.activities.commitments import check, check_all
    from passerelle.activities.models import Activity, Participation

    agreements = list(Activity.objects.filter(kind="agreement").order_by("pk"))
    commitments = plant_commitments()
    ensure_roles()
    editor = get_user_model().objects.get_or_create(username="bench-editor", is_staff=True)[0]
    editor.groups.add(Group.objects.get(name="editor"))
    print(
        f"# {Activity.objects.count():,} activities, {len(agreements):,} agreements, "
        f"{commitments:,} commitments, {Participation.objects.count():,} participations"
    )
    print(HEADER)
    rng = random.Random(1)
    picked = [rng.choice(agreements) for _ in range(args.repeat)]
    results = []
    check(EVERY_RECORD, [picked[0]])  # the French catalogue loaded once, as a server has it
    one = [timed(lambda a=a: results.append(check(EVERY_RECORD, [a])))[0] for a in picked]
    print(row("check of one agreement (every record)", one))
    one_editor = [timed(lambda a=a: check(editor, [a]))[0] for a in picked]
    print(row("check of one agreement (an editor)", one_editor))
    observed = sum(len(r.observed) for checks in results for r in checks)
    print(f"# {observed:,} activities observed over the {args.repeat} agreements")
    every = timed(lambda: check_all(EVERY_RECORD), args.repeat_all)
    print(row("check of every commitment of every agreement (every record)", every))
    every_editor = timed(lambda: check_all(editor), args.repeat_all)
    print(row("check of every commitment of every agreement (an editor)", every_editor))


if __name__ == "__main__":
    main()
