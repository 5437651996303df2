"""The index writer: the entries of some records, of every record, and whose entries
quote a record.

Called by the receivers that keep the index in step with the records
(search.receivers), by the background tasks (search.tasks) and by
``passerelle reindex``; it knows neither of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, models, transaction
from django.utils import timezone

from passerelle.activities.models import Activity
from passerelle.core.maintenance import refresh_statistics
from passerelle.registry.models import (
    Affiliation,
    Organization,
    Person,
    Place,
    Topic,
)

from .documents import BUILDERS
from .models import SearchEntry, SearchTerm, entry_type

BATCH = 2000
UPDATED_FIELDS = [
    "kind",
    "uid",
    "title",
    "summary",
    "title_fr",
    "summary_fr",
    "names",
    "words",
    "subkind",
    "country",
    "year_start",
    "year_end",
    "topics",
    "roles",
    "in_region",
    "activities",
    "visibility",
    "owner_id",
]


def index(model: type[models.Model], pks: Iterable[int]) -> int:
    """Write the entries of these records (and drop those of records no longer there).

    An entry that would not change is not written: a reindex of unchanged records costs
    reads only, and the full-text index is not rewritten for nothing.
    """
    pks = list(pks)
    if not pks:
        return 0
    content_type = entry_type(model)
    entries = BUILDERS[model](pks)
    with transaction.atomic():
        existing = {
            row[1]: (row[0], row[2:])
            for row in SearchEntry.objects.filter(
                content_type=content_type, object_id__in=pks
            ).values_list("pk", "object_id", *UPDATED_FIELDS)
        }
        fresh, changed = [], []
        for entry in entries:
            pk, values = existing.pop(entry.object_id, (None, None))
            entry.pk = pk
            if pk is None:
                fresh.append(entry)
            elif values != tuple(getattr(entry, name) for name in UPDATED_FIELDS):
                changed.append(entry)
        SearchEntry.objects.bulk_create(fresh, batch_size=500)
        _update(changed)
        if existing:
            SearchEntry.objects.filter(pk__in=[pk for pk, _v in existing.values()]).delete()
        terms = {t[:60] for e in fresh + changed for t in f"{e.names} {e.words}".split()}
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t) for t in terms], ignore_conflicts=True, batch_size=1000
        )
    return len(entries)


def _update(entries: list[SearchEntry]) -> None:
    """One UPDATE a row, run as a batch: bulk_update's CASE expressions over a dozen columns
    are many times slower on SQLite."""
    if not entries:
        return
    fields = [SearchEntry._meta.get_field(name) for name in UPDATED_FIELDS]
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    # the time as the ORM writes it: SQLite compares the text, and a raw datetime would be
    # stored with its "+00:00" (semantic.waiting compares it with the embedding's copy)
    now = SearchEntry._meta.get_field("updated").get_db_prep_save(timezone.now(), connection)
    rows = [
        [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] + [now, e.pk]
        for e in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{SearchEntry._meta.db_table}" SET {assignments}, "updated" = %s '
            'WHERE "id" = %s',
            rows,
        )


def unindex(model: type[models.Model], pks: Iterable[int]) -> None:
    SearchEntry.objects.filter(content_type=entry_type(model), object_id__in=list(pks)).delete()


def batches(model: type[models.Model], size: int = BATCH) -> Iterator[list[int]]:
    """The primary keys of every record of a model, a batch at a time, in key order."""
    last = 0
    while True:
        pks = list(
            model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not pks:
            return
        yield pks
        last = pks[-1]


def reindex(models_to_index: Iterable[type[models.Model]] = BUILDERS, progress=None) -> int:
    """Rebuild the entries of every record of these models; ``progress(n)`` after each batch."""
    count = 0
    for model in models_to_index:
        for pks in batches(model):
            count += index(model, pks)
            if progress:
                progress(len(pks))
        kept = model.objects.values("pk")
        SearchEntry.objects.filter(content_type=entry_type(model)).exclude(
            object_id__in=kept
        ).delete()
    # the word frequencies the planner and search.backends.common go by
    refresh_statistics(SearchEntry, SearchTerm)
    return count


# -- what depends on what: whose entries hold a record's words


def dependants(model: type[models.Model], pk: int) -> dict[type, list[int]]:
    """Records whose entries quote this one (its name, its topics' names…)."""
    if model is Organization:
        return {
            Person: list(
                Affiliation.objects.filter(organization=pk).values_list("person", flat=True)
            ),
        }
    if model is Topic:
        return {
            Activity: list(Activity.objects.filter(topics=pk).values_list("pk", flat=True)),
            Organization: list(Organization.objects.filter(topics=pk).values_list("pk", flat=True)),
            Person: list(Person.objects.filter(topics=pk).values_list("pk", flat=True)),
            Topic: list(Topic.objects.filter(parent=pk).values_list("pk", flat=True)),
        }
    if model is Place:
        return {
            Activity: list(Activity.objects.filter(places=pk).values_list("pk", flat=True)),
            Organization: list(Organization.objects.filter(place=pk).values_list("pk", flat=True)),
            Person: list(Person.objects.filter(place=pk).values_list("pk", flat=True)),
        }
    return {}
