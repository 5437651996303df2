from django.core.management.base import CommandError
from tqdm import tqdm

from passerelle.core.management.base import DatabaseCommand
from passerelle.search import indexing, semantic
from passerelle.search.documents import BUILDERS
from passerelle.search.models import SearchEntry

KINDS = {model._meta.model_name: model for model in BUILDERS}


class Command(DatabaseCommand):
    help = "Rebuild the search index of every record (or of some kinds), and the embeddings."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=sorted(KINDS), default=[])
        parser.add_argument(
            "--embeddings",
            action="store_true",
            help="Also compute the sentence embeddings of changed records (semantic extra).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        models = [KINDS[k] for k in options["kind"]] or list(BUILDERS)
        total = sum(model.objects.count() for model in models)
        with tqdm(total=total, unit="record", disable=options["no_progress"]) as bar:
            count = indexing.reindex(models, progress=bar.update)
        self.stdout.write(f"Indexed {count} records.")
        if options["embeddings"]:
            if not semantic.available():
                raise CommandError(
                    "Embeddings need the semantic extra: pip install 'passerelle[semantic]'."
                )
            entries = SearchEntry.objects.all()
            with tqdm(total=entries.count(), unit="text", disable=options["no_progress"]) as bar:
                embedded = semantic.compute(entries, progress=bar.update)
            self.stdout.write(f"Embedded {embedded} changed records.")
