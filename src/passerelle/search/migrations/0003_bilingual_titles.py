"""Entries show their title and summary in French too. The columns start empty, and an
empty French title falls back on the English one, so search reads as before until
``passerelle reindex`` (which the demo's load runs) fills them."""

from django.db import migrations, models

from passerelle.search.backends import restore_schema


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_actor_activities"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="summary_fr",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="title_fr",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(restore_schema, migrations.RunPython.noop),
    ]
