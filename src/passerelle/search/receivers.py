"""Keeping the index in step with the records: the signal receivers.

A saved or deleted record rewrites its own entry at once, in the same
transaction: a rollback takes the entry back with the record, and a commit
publishes both. What a change means for *other* records' entries (a renamed
organization appears in the entries of the people who work there, a renamed
topic in every record about it) goes to the task queue once the change has committed, as do
embeddings; ``passerelle reindex`` rebuilds everything. Connected by SearchConfig.ready().
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tasks.base import Task

from passerelle.activities.models import Activity, Participation
from passerelle.core.signals import records_bulk_loaded
from passerelle.registry.models import Affiliation, Organization, OrganizationName, Person

from . import tasks
from .documents import BUILDERS
from .indexing import dependants, index, unindex

_pending = threading.local()


def _later(task: Task, model: type[models.Model], pks: Iterable[int]) -> None:
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
    work, _pending.work = getattr(_pending, "work", None), None
    for (task, label), pks in (work or {}).items():
        if pks:
            task.enqueue(label, sorted(pks))


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    index(sender, [instance.pk])
    tasks.ask_for_embeddings()  # the entries written are embedded by the next run
    for model, pks in dependants(sender, instance.pk).items():
        _later(tasks.reindex_records, model, pks)


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
        _later(
            tasks.reindex_records,
            actor_model,
            [instance.organization_id or instance.person_id],
        )
    elif sender is OrganizationName:
        if Organization.objects.filter(pk=instance.organization_id).exists():
            index(Organization, [instance.organization_id])
    elif sender is Affiliation and Person.objects.filter(pk=instance.person_id).exists():
        index(Person, [instance.person_id])
    tasks.ask_for_embeddings()  # the entries written are embedded by the next run


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # topic.activities.add(...): the activities' entries change
        index(model, pk_set or [])
    else:
        index(type(instance), [instance.pk])
    tasks.ask_for_embeddings()  # an entry's topics are part of what the model reads


def _bulk_loaded(sender, models=(), **kwargs) -> None:
    for model in models:
        if model in BUILDERS:
            transaction.on_commit(partial(tasks.reindex_model.enqueue, model._meta.label))


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
