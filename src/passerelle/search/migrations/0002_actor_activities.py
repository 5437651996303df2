from django.db import migrations, models
from django.db.models import Count

from passerelle.search.backends import restore_schema


def count_activities(apps, schema_editor):
    """Fill the new count for the entries already there, without a reindex."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Participation = apps.get_model("activities", "Participation")
    SearchEntry = apps.get_model("search", "SearchEntry")
    for kind in ("organization", "person"):
        actor_type = ContentType.objects.filter(app_label="registry", model=kind).first()
        if actor_type is None:  # a new database: no entries yet
            continue
        counts = (
            Participation.objects.exclude(**{kind: None})
            .values_list(kind)
            .annotate(n=Count("activity", distinct=True))
            .order_by()
        )
        for pk, n in counts:  # by the entries' unique key
            SearchEntry.objects.filter(content_type=actor_type, object_id=pk).update(activities=n)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_drafts_and_owners"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("search", "0001_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="activities",
            field=models.PositiveIntegerField(
                default=0,
                help_text="An actor's activities, in all: matchmaking weighs a hub's focus.",
            ),
        ),
        migrations.RunPython(restore_schema, restore_schema),
        migrations.RunPython(count_activities, migrations.RunPython.noop),
    ]
