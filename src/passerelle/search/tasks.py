"""Background work of search, on the project's task queue (django-tasks: the database by
default, Redis through RQ where REDIS_URL is set; see settings.TASKS)."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import indexing, semantic
from .models import SearchEntry

#: Set while a run of ``embed_changes`` waits in the queue: edits meanwhile ask for no other.
EMBEDDING_ASKED = "search:embedding-asked"
#: A run that never comes (a queue emptied by hand) stops holding the next edits back after this.
EMBEDDING_ASKED_FOR = 600
#: A record created this long before a run and not embedded yet is embedded by it; older ones
#: without an embedding are bulk loads' (``passerelle reindex --embeddings``).
EMBEDDING_WINDOW = timedelta(minutes=15)
#: The most entries a run embeds, newest first: a longer list is left to the next run, asked
#: for at once, so that no run holds a worker for minutes (a job's timeout would kill it).
EMBEDDING_RUN = 2000


@task()
def reindex_records(model_label: str, pks: list[int]) -> int:
    """Rewrite the entries of some records, whose words changed through another record."""
    written = indexing.index(apps.get_model(model_label), pks)
    ask_for_embeddings()
    return written


@task()
def reindex_model(model_label: str) -> int:
    """Rewrite every entry of one kind of record, after a bulk load."""
    return indexing.reindex([apps.get_model(model_label)])


@task()
def embed_changes() -> int:
    """Embed every entry written since it was last embedded (the semantic extra).

    One run serves every edit made before it starts, so that a busy office costs a few
    runs a minute, each loading the model once, instead of one run and one model load per
    edit (RQ's work-horse is forked per job: a model loaded in it dies with it).
    """
    cache.delete(EMBEDDING_ASKED)  # an edit from now on asks for the next run
    if not semantic.available():
        return 0
    since = timezone.now() - EMBEDDING_WINDOW
    pks = list(
        semantic.waiting(since)
        .order_by("-updated")
        .values_list("pk", flat=True)[: EMBEDDING_RUN + 1]
    )
    embedded = semantic.compute(SearchEntry.objects.filter(pk__in=pks[:EMBEDDING_RUN]))
    if len(pks) > EMBEDDING_RUN:
        ask_for_embeddings()
    return embedded


def ask_for_embeddings() -> None:
    """Once the current transaction commits, ask for a run of ``embed_changes`` unless one
    is already waiting (its flag is taken atomically: Redis's SET NX in production).

    A transaction that saves many records asks once: the first of its callbacks asks, the
    others find nothing pending. One that rolls back leaves its ask to the next commit.
    Nothing is asked where the semantic extra is not installed."""
    if not semantic.available():
        return
    _asking.pending = True
    transaction.on_commit(_ask)


_asking = threading.local()


def _ask() -> None:
    if not getattr(_asking, "pending", False):
        return
    _asking.pending = False
    if cache.add(EMBEDDING_ASKED, True, timeout=EMBEDDING_ASKED_FOR):
        embed_changes.enqueue()
