import sys

from django.core.management.base import CommandError
from tqdm import tqdm

from passerelle.core.management.base import DatabaseCommand
from passerelle.demo.generate import SCALES, generate


class Command(DatabaseCommand):
    help = (
        "Add a generated network (people, activities of every kind, participations with "
        "heavy-tailed distributions) on top of the imported organizations, reproducible from "
        "the seed: small ≈ 1k activities, medium ≈ 100k, large ≈ 1M participations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        def progress(batches):
            return tqdm(batches, unit=" batches", file=sys.stderr, mininterval=0.5)

        try:
            summary = generate(
                options["scale"],
                seed=options["seed"],
                progress=None if options["no_progress"] else progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Generated ({options['scale']}, seed {options['seed']}): {summary}.")
