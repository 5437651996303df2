"""Two instances on one database and one Redis: nothing one process holds makes another answer
wrongly, and a task whose worker dies is run again.

Two test clients share one process, so the rules are tested where they live: a fresh Python
process (another instance, as far as the shared cache can tell) renews or reads the records'
change clock in Redis; the vector index held in this process notices vectors another process
stored; a real RQ worker whose work-horse is killed mid-task runs the task again. Skipped, as
tests/test_rate_limits.py's Redis cases are, where no Redis answers on 127.0.0.1:6379.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from passerelle.core.changes import content_version, records_changed
from passerelle.portal.caching import cached_page

REDIS = "redis://127.0.0.1:6379/13"


def _redis():
    import redis

    return redis.Redis.from_url(REDIS, socket_connect_timeout=1)


def _redis_reachable() -> bool:
    try:
        return bool(_redis().ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def shared_cache(settings):
    """This process's cache is Redis, under a prefix of this test's own, as the settings make it."""
    prefix = f"passerelle-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    connection = _redis()
    keys = list(connection.scan_iter(f"{prefix}:*"))
    if keys:
        connection.delete(*keys)


#: The other instance: a fresh process from the settings alone, given REDIS_URL.
OTHER_INSTANCE = """
import json, django
from django.conf import settings
django.setup()
from passerelle.core.changes import content_version, records_changed
from passerelle.core.dependencies import renew
from django_rq.workers import get_worker
seen = content_version()
records_changed()  # what an edit does: the change clock (desk, figures) and the pages' keys
renew({"registry.organization:1"})
worker = get_worker("default")  # the worker `passerelle rqworker` runs
print(json.dumps({
    "seen": seen,
    "renewed": content_version(),
    "cache": settings.CACHES["default"]["BACKEND"],
    "queue": type(worker.queues[0]).__module__ + "." + type(worker.queues[0]).__name__,
    "job": worker.job_class.__module__ + "." + worker.job_class.__name__,
    "sheets": getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", "a folder of this machine"),
}))
"""


def _other_instance(prefix: str, tmp_path) -> dict:
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PASSERELLE_TASKS"}}
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "passerelle.settings",
        "REDIS_URL": REDIS,
        "PASSERELLE_CACHE_PREFIX": prefix,
        "PASSERELLE_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", OTHER_INSTANCE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_redis
@pytest.mark.django_db
def test_the_change_clock_is_one_for_every_instance(shared_cache, tmp_path):
    """A version this process renewed is the one a fresh process reads; the one it renews is
    the one this process reads next, at once: no process keeps its own. And that process's
    settings, given REDIS_URL, put the cache and the queue of retried tasks on Redis."""
    records_changed()
    mine = content_version()
    other = _other_instance(shared_cache, tmp_path)
    assert other["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert other["queue"] == "passerelle.core.taskqueue.RetryingQueue"
    # django-tasks' own job class, without which RQ fails every task it is given
    assert other["job"] == "django_tasks_rq.backend.Job"
    # a sheet checked through one instance is confirmed through another: it waits in Redis
    assert other["sheets"] == "import_export.tmp_storages.CacheStorage"
    assert other["seen"] == mine
    assert other["renewed"] != mine
    assert content_version() == other["renewed"]


@needs_redis
def test_a_page_cached_here_is_not_served_after_an_edit_elsewhere(shared_cache, tmp_path):
    """Instance B cached a page; an edit through instance A renews the page's keys in Redis;
    B's next reader gets the page drawn again from the records, not B's copy."""
    drawn = []

    @cached_page
    def page(request):
        drawn.append(content_version())
        return HttpResponse(f"drawn {len(drawn)}")

    request = RequestFactory().get("/en/organizations/x/")
    assert page(request).content == b"drawn 1"
    assert page(request).content == b"drawn 1"  # a hit, from the shared cache
    _other_instance(shared_cache, tmp_path)  # the edit, through the other instance
    assert page(request).content == b"drawn 2"
    assert len(drawn) == 2


# -- a worker killed mid-task


def die_the_first_time(counter: str) -> int:
    """A task whose first run is killed as by the OOM killer: SIGKILL to its own process."""
    runs = _redis().incr(counter)
    if runs == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return runs


def _run_in_a_worker(queue_class) -> tuple[object, int]:
    from rq import Worker

    connection = _redis()
    name, counter = f"passerelle-test-{uuid.uuid4().hex}", f"passerelle-test-runs-{uuid.uuid4()}"
    queue = queue_class(name, connection=connection)
    job = queue.create_job("tests.test_instances.die_the_first_time", args=(counter,))
    queue.enqueue_job(job)
    try:
        # a real worker: it forks a work-horse per job, as `passerelle rqworker` does
        Worker([queue], connection=connection).work(burst=True, max_jobs=3)
        job.refresh()
        return job, int(connection.get(counter) or 0)
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)
        connection.delete(counter)


@needs_redis
def test_a_task_whose_worker_is_killed_is_run_again(settings):
    from passerelle.core.taskqueue import RETRIES, RetryingQueue

    job, runs = _run_in_a_worker(RetryingQueue)
    assert runs == 2
    assert job.get_status() == "finished"
    assert job.return_value() == 2
    assert job.retries_left == RETRIES - 1


@needs_redis
def test_without_the_retrying_queue_the_task_is_lost(settings):
    """Why the queue is ours: django-tasks-rq's jobs have no Retry, and RQ fails them."""
    from django_rq.queues import DjangoRQ

    job, runs = _run_in_a_worker(DjangoRQ)
    assert runs == 1
    assert job.get_status() == "failed"


# -- the vector index held in each process


def _unit(seed: int):
    import numpy as np

    vector = np.random.default_rng(seed).standard_normal(384).astype("float32")
    return vector / np.linalg.norm(vector)


def _entry(n: int):
    from django.contrib.contenttypes.models import ContentType

    from passerelle.search.models import SearchEntry

    return SearchEntry.objects.create(
        content_type=ContentType.objects.get_for_model(SearchEntry),
        object_id=10_000 + n,
        kind="topic",
        uid=uuid.uuid4(),
        title=f"entry {n}",
        visibility="public",
    )


def _embed(entry, seed: int) -> None:
    """What another process's worker stores: the entry's old vector replaced by a new row."""
    from passerelle.search.models import Embedding

    Embedding.objects.filter(entry=entry).delete()
    Embedding.objects.create(
        entry=entry, model="test", digest=str(seed), vector=_unit(seed).tobytes()
    )


@pytest.mark.django_db
def test_the_vector_index_notices_vectors_stored_by_another_process():
    pytest.importorskip("usearch")
    from passerelle.search import semantic

    first, second = _entry(1), _entry(2)
    _embed(first, 1)
    _embed(second, 2)
    index = semantic._index()
    assert len(index) == 2
    # elsewhere: the second entry embedded again (its text changed), a third one added
    third = _entry(3)
    _embed(second, 20)
    _embed(third, 3)
    index = semantic._index()  # nothing told this process: it reads the database's rows
    assert len(index) == 3
    assert index.search(_unit(20), 1).keys[0] == second.pk
    assert index.search(_unit(3), 1).keys[0] == third.pk


def test_no_record_derived_cache_in_process_memory():
    """The caches of pages and figures go through Django's cache, which the settings make Redis
    (or files, one machine) for a deployment: never the memory of one process."""
    import passerelle.settings as production

    for alias in production.CACHES.values():
        assert alias["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
    assert cache is not None


@pytest.mark.django_db
def test_the_gazetteer_notices_a_name_added_by_another_process():
    """An alias stored elsewhere (another instance's import, a worker), its organization left
    as it was: the gazetteer this process holds is built again from the database."""
    from passerelle.ingest.extraction.gazetteer import gazetteer
    from passerelle.registry.models import Organization, OrganizationName

    organization = Organization.objects.create(name="Institut Quelconque", visibility="public")
    held = gazetteer()
    assert not held.forms.get(("zorglub", "institute"))
    OrganizationName.objects.bulk_create(  # no signal, no save of the organization
        [OrganizationName(organization=organization, value="Zorglub Institute", kind="alias")]
    )
    found = gazetteer().forms.get(("zorglub", "institute"), [])
    assert [known.key for known in found] == [str(organization.uid)]
