"""Rate limits that hold under concurrency: one atomic counter per client and window.

A limit of N requests a period lets exactly N through, however many arrive at once
and from however many web workers: the count is taken and raised in one step by
the cache that every worker shares, never read, raised and written back.

- Redis (``REDIS_URL``): one Lua script raises the count and, on the window's first
  request, sets its expiry, so a count can never outlive its window.
- Files on disk (the default without Redis): the count is read and written under an
  exclusive ``flock`` on a lock file beside the cache, which serialises every thread
  of every worker on the machine.
- Memcached: its ``add`` and ``incr`` are atomic.
- The per-process memory cache (tests, one process) and any other: read and written
  under a lock of this process, which is exact for the memory cache and holds only
  within one process for the others.

The window opens at a client's first request and lasts the period (a fixed window
per client, not per clock minute, so a client's budget does not reset at :00).
"""

from __future__ import annotations

import fcntl
import functools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .clients import client_address

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_REDIS_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""
_process_lock = threading.Lock()


@dataclass(frozen=True)
class Rate:
    """``120/m``: so many requests a period (``s``, ``m``, ``h``, ``d``, or ``10m``)."""

    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        try:
            count, period = text.strip().split("/", 1)
            unit = period.strip()[-1:]
            multiple = int(period.strip()[:-1] or 1)
            rate = cls(int(count), multiple * _PERIODS[unit])
        except (ValueError, KeyError):
            raise ValueError(f"{text!r}: give a rate such as 120/m (per s, m, h or d)") from None
        if rate.requests < 1 or rate.seconds < 1:
            raise ValueError(f"{text!r}: give at least one request a period")
        return rate


@dataclass(frozen=True)
class Hit:
    """One request counted: its number in the window, and when the window closes."""

    count: int
    retry_after: int

    def within(self, rate: Rate) -> bool:
        return self.count <= rate.requests


def hit(key: str, seconds: int, cache: BaseCache = default_cache) -> Hit:
    """Count one request under ``key``, in a window of ``seconds`` opened by the first."""
    backend = type(cache).__name__
    if backend == "RedisCache":
        return _redis_hit(cache, key, seconds)
    if backend in {"PyMemcacheCache", "PyLibMCCache"}:
        return _atomic_hit(cache, key, seconds)
    if backend == "FileBasedCache":
        with _file_lock(Path(cache._dir)):
            return _locked_hit(cache, key, seconds)
    with _process_lock:
        return _locked_hit(cache, key, seconds)


def _redis_hit(cache: BaseCache, key: str, seconds: int) -> Hit:
    key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(key, write=True)
    count, ttl = client.eval(_REDIS_HIT, 1, key, seconds)
    return Hit(int(count), max(int(ttl), 1))


def _atomic_hit(cache: BaseCache, key: str, seconds: int) -> Hit:
    """``add`` opens the window with its expiry; memcached's ``incr`` keeps that expiry."""
    for _attempt in range(3):
        cache.add(key, 0, seconds)
        try:
            return Hit(cache.incr(key), seconds)
        except ValueError:  # the window closed between the two: open the next one
            continue
    return Hit(1, seconds)


def _locked_hit(cache: BaseCache, key: str, seconds: int) -> Hit:
    """Read, raise and write back, under a lock that the caller holds."""
    now = time.time()
    count, closes = cache.get(key) or (0, now + seconds)
    if closes <= now:
        count, closes = 0, now + seconds
    count += 1
    cache.set(key, (count, closes), max(math.ceil(closes - now), 1))
    return Hit(count, max(math.ceil(closes - now), 1))


class _file_lock:
    """An exclusive ``flock`` on ``<cache dir>/ratelimits.lock``, and this process's lock.

    ``flock`` excludes other processes and also other open files of this process;
    the thread lock keeps this process's threads from queueing on the file.
    """

    _threads = threading.Lock()

    def __init__(self, directory: Path):
        self.path = directory / "ratelimits.lock"

    def __enter__(self):
        self._threads.acquire()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = open(self.path, "a+b")
            fcntl.flock(self.file, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(self, *exc_info):
        try:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
        finally:
            self._threads.release()


def rate_limited(scope: str) -> Callable:
    """A view decorator: ``RATE_LIMITS[scope]`` requests a period per client address.

    Past the limit the view is not run: a 429 with ``Retry-After`` and a message in
    the page's language, in JSON for a view called with ``as_json=True`` or
    ``?format=json`` (the portal's JSON twins), else as text.
    """

    def decorate(view):
        @functools.wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            from django.conf import settings

            rate = Rate.parse(settings.RATE_LIMITS[scope])
            counted = hit(f"ratelimit:{scope}:{client_address(request)}", rate.seconds)
            if counted.within(rate):
                return view(request, *args, **kwargs)
            text = _(
                "Too many requests from your address: wait %(seconds)s seconds and try again."
            ) % {"seconds": counted.retry_after}
            if kwargs.get("as_json") or request.GET.get("format") == "json":
                response = JsonResponse({"detail": text}, status=429)
            else:
                response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(counted.retry_after)
            response["Cache-Control"] = "no-store"
            return response

        return limited

    return decorate
