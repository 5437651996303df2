"""An embedding remembers the version of the entry it was computed from, so that one run of
the embedding task finds every entry changed since (``semantic.waiting``). The embeddings
already stored were computed from their entries as they are."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_their_entries(apps, schema_editor):
    Embedding = apps.get_model("search", "Embedding")
    SearchEntry = apps.get_model("search", "SearchEntry")
    Embedding.objects.update(
        entry_updated=Subquery(SearchEntry.objects.filter(pk=OuterRef("entry_id")).values("updated")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_bilingual_titles"),
    ]

    operations = [
        migrations.AddField(
            model_name="embedding",
            name="entry_updated",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(from_their_entries, migrations.RunPython.noop),
    ]
