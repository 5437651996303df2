"""Background work of insights, on the project's task queue (django-tasks: the database by
default, Redis through RQ where REDIS_URL is set; see settings.TASKS)."""

from __future__ import annotations

from django_tasks import task

from .store import compute


@task()
def compute_measures(scope: str, year: int = 0) -> int:
    """Measure the network one scope reads (insights.store.compute); the new result's id."""
    return compute(scope, year).pk
