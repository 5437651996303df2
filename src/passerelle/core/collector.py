"""Python's cyclic garbage collector paused while a bulk job holds its objects.

A job that builds hundreds of thousands of small objects and keeps them until it ends (the
ROR import, the commitment check of every agreement) makes the collector walk them all
again at every full collection, for nothing: they hold no cycle, and reference counting
frees them. That was a third of the import's time and a quarter of the check's. The web
workers freeze what the app loaded instead (``passerelle.wsgi``); this is for the work
done in one go.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # jobs running with the collector paused: the last one to end resumes it
_resume = False


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block (nestable, and across threads: it resumes
    once the last block ends, if it was running before the first)."""
    global _paused, _resume
    with _lock:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()
