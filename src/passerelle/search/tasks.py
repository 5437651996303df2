"""Background work of search, on the project's task queue (django-tasks: the database by
default, Redis through RQ where REDIS_URL is set; see settings.TASKS)."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task

from . import indexing


@task()
def reindex_records(model_label: str, pks: list[int]) -> int:
    """Rewrite the entries of some records, whose words changed through another record."""
    return indexing.index(apps.get_model(model_label), pks)


@task()
def reindex_model(model_label: str) -> int:
    """Rewrite every entry of one kind of record, after a bulk load."""
    return indexing.reindex([apps.get_model(model_label)])


@task()
def embed_records(model_label: str, pks: list[int]) -> int:
    """Embed the entries of records that changed (the semantic extra)."""
    from . import semantic
    from .models import SearchEntry, entry_type

    if not semantic.available():
        return 0
    model = apps.get_model(model_label)
    return semantic.compute(
        SearchEntry.objects.filter(content_type=entry_type(model), object_id__in=pks)
    )
