"""The RQ queue Passerelle's tasks go through where ``REDIS_URL`` is set: jobs that are retried.

django-tasks-rq creates its jobs without RQ's ``Retry``, so a job whose work-horse dies
(SIGKILL, the OOM killer, a machine stopped) is moved to the failed registry and its work
is lost. Every job of this queue carries ``Retry(max=RETRIES)``: the worker whose horse
died puts the job back on the queue at once, and a job abandoned by a worker that died
whole is put back by the next worker's registry clean-up (rq's ``StartedJobRegistry``),
once its execution has expired. Passerelle's tasks rewrite what they compute from the
records as they are (entries, embeddings, stored figures), so running one twice is harmless.

Named by ``RQ_QUEUES["default"]["QUEUE_CLASS"]`` in the settings; imported only then.
"""

from __future__ import annotations

from typing import Any

from django_rq.queues import DjangoRQ
from rq.job import Retry

#: How many times a job is run again after a failure or a dead worker.
RETRIES = 3


class RetryingQueue(DjangoRQ):
    """A django-rq queue whose jobs are retried ``RETRIES`` times unless told otherwise."""

    def create_job(self, *args: Any, **kwargs: Any):
        if kwargs.get("retry") is None:
            # no interval: the job goes back on the queue at once, with no scheduler to run
            kwargs["retry"] = Retry(max=RETRIES)
        return super().create_job(*args, **kwargs)
