"""On PostgreSQL, each kind of record the API lists by words gets its own part of the
full-text index (``backends.KIND_DOCUMENTS``). Nothing on SQLite."""

from django.db import migrations

from passerelle.search.backends import create_kind_documents, drop_kind_documents


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_embedding_entry_updated"),
    ]

    operations = [migrations.RunPython(create_kind_documents, drop_kind_documents)]
