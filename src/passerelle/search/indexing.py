"""Keeping the index in step with the records.

A saved or deleted record rewrites its own entry at once, in the same
transaction: a rollback takes the entry back with the record, and a commit
publishes both. What a change means for *other* records' entries (a renamed
organization appears in the entries of the people who work there, a renamed
topic in every record about it) goes to the task queue once the change has committed, as do
embeddings; ``passerelle reindex`` rebuilds everything.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import partial

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from passerelle.activities.models import Activity, Participation
from passerelle.core.maintenance import refresh_statistics
from passerelle.core.signals import records_bulk_loaded
from passerelle.registry.models import (
    Affiliation,
    Organization,
    OrganizationName,
    Person,
    Place,
    Topic,
)

from . import semantic
from .documents import BUILDERS
from .models import SearchEntry, SearchTerm, entry_type

BATCH = 2000
UPDATED_FIELDS = [
    "kind",
    "uid",
    "title",
    "summary",
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
    rows = [
        [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields]
        + [timezone.now(), e.pk]
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


_pending = threading.local()


def _later(task: str, model: type[models.Model], pks: Iterable[int]) -> None:
    """Ask for background work once the current transaction commits, gathered so that a
    transaction enqueues one task per kind of work and of record, whatever it saved.

    Work asked for in a transaction that rolls back stays pending and goes with the next
    commit: it only rewrites entries from the records as they are, which is harmless.
    """
    work = getattr(_pending, "work", None)
    if work is None:
        work = _pending.work = defaultdict(set)
    work[(task, model._meta.label)].update(pk for pk in pks if pk)
    transaction.on_commit(_flush)


def _flush() -> None:
    from . import tasks

    work, _pending.work = getattr(_pending, "work", None), None
    for (task, label), pks in (work or {}).items():
        if pks:
            getattr(tasks, task).enqueue(label, sorted(pks))


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    index(sender, [instance.pk])
    if semantic.available():
        _later("embed_records", sender, [instance.pk])
    for model, pks in dependants(sender, instance.pk).items():
        _later("reindex_records", model, pks)


def _deleted(sender, instance, **kwargs) -> None:
    unindex(sender, [instance.pk])


def _part_changed(sender, instance, raw=False, **kwargs) -> None:
    """A participation, another name or an affiliation: its records' entries change."""
    if raw:
        return
    if sender is Participation:
        if Activity.objects.filter(pk=instance.activity_id).exists():
            index(Activity, [instance.activity_id])
        # the actor's entry holds only the roles it takes: the queue brings it up to date, so
        # that a hub's 60k participations are not read again at every one saved
        actor_model = Organization if instance.organization_id else Person
        _later("reindex_records", actor_model, [instance.organization_id or instance.person_id])
    elif sender is OrganizationName:
        if Organization.objects.filter(pk=instance.organization_id).exists():
            index(Organization, [instance.organization_id])
    elif sender is Affiliation and Person.objects.filter(pk=instance.person_id).exists():
        index(Person, [instance.person_id])


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # topic.activities.add(...): the activities' entries change
        index(model, pk_set or [])
    else:
        index(type(instance), [instance.pk])


def _bulk_loaded(sender, models=(), **kwargs) -> None:
    for model in models:
        if model in BUILDERS:
            from .tasks import reindex_model

            transaction.on_commit(partial(reindex_model.enqueue, model._meta.label))


def connect() -> None:
    for model in BUILDERS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-del-{model.__name__}")
    for part in (Participation, OrganizationName, Affiliation):
        post_save.connect(_part_changed, sender=part, dispatch_uid=f"search-part-{part.__name__}")
        post_delete.connect(
            _part_changed, sender=part, dispatch_uid=f"search-part-del-{part.__name__}"
        )
    for through in (
        Organization.topics.through,
        Person.topics.through,
        Activity.topics.through,
        Activity.places.through,
    ):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search-m2m-{through}")
    records_bulk_loaded.connect(_bulk_loaded, dispatch_uid="search-bulk-loaded")
