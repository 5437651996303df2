"""Reading ROR records on every core: a process pool parses, the import's process writes.

Parsing, validating and normalizing a record is pure Python over its own text, so chunks
of records go to ``os.cpu_count()`` worker processes while the import's own process keeps
reading the file and, once everything is read, does all the database work alone. Results
come back in the file's order, so errors are listed, and ``--strict`` stops, exactly as
when everything happens in one process, which small files still do: below
:data:`POOL_THRESHOLD` records, starting the workers costs more than it saves.

Memory stays bounded: at most :data:`CHUNKS_AHEAD` chunks per worker are queued at once,
and the workers hold one chunk each.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice

from .ror_records import RawRecord, RorError, RorRecord, import_values, parse

#: Records to parse from which the import starts a pool; a smaller file is parsed in the
#: import's own process (tests, daily updates of a few records).
POOL_THRESHOLD = 4_000
#: Records a worker parses per task: large enough that sending the task costs little beside
#: parsing it, small enough that the pool's queue holds little.
CHUNK_SIZE = 1_000
#: Chunks queued per worker ahead of the one the import is waiting for.
CHUNKS_AHEAD = 2

#: What the import receives for every record it has to read: the record and its values as
#: the import stores them (see :func:`.ror_records.import_values`), or why it cannot be read.
Parsed = tuple[RorRecord, dict] | RorError


class RecordFailed(Exception):
    """The reader itself failed on a record (a bug or a dead worker, not bad data): the
    import stops and writes nothing."""

    def __init__(self, where: str, error: str):
        super().__init__(where, error)
        self.where, self.error = where, error

    def __str__(self) -> str:
        return f"{self.where}: the record could not be read ({self.error})"


def read_one(where: str, text: str | bytes) -> Parsed:
    """One record parsed, validated and normalized, in whichever process runs it."""
    try:
        parsed = parse(RawRecord(where, "", text))
        return parsed if isinstance(parsed, RorError) else (parsed, import_values(parsed))
    except Exception as error:  # a bug in the reader: named by its record
        raise RecordFailed(where, repr(error)) from None


def read_chunk(chunk: list[tuple[str, str | bytes]]) -> list[Parsed]:
    """A worker's task: a chunk of (where, text), read in order."""
    return [read_one(where, text) for where, text in chunk]


def read_all(
    items: Iterable[RawRecord | RorError],
    *,
    threshold: int = POOL_THRESHOLD,
    chunk_size: int = CHUNK_SIZE,
    workers: int | None = None,
) -> Iterator[tuple[RawRecord | RorError, Parsed]]:
    """Every item with what reading it gave, in the items' order: raw records parsed (in a
    pool of ``workers`` processes when there are ``threshold`` of them or more), errors of the
    file itself passed along as they are."""
    items = iter(items)
    first = list(islice(items, threshold))
    if len(first) < threshold:
        for item in first:
            yield item, item if isinstance(item, RorError) else read_one(item.where, item.text)
        return
    yield from _pooled(chain(first, items), chunk_size, workers or os.cpu_count() or 1)


def _pooled(
    items: Iterator[RawRecord | RorError], chunk_size: int, workers: int
) -> Iterator[tuple[RawRecord | RorError, Parsed]]:
    # fork: the workers start at once with everything imported, and never touch the
    # database connection they inherit (they exit without running its finalizers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    queued: deque[tuple[list[RawRecord | RorError], Future]] = deque()
    try:
        while chunk := list(islice(items, chunk_size)):
            texts = [(i.where, i.text) for i in chunk if isinstance(i, RawRecord)]
            queued.append((chunk, pool.submit(read_chunk, texts)))
            if len(queued) > workers * CHUNKS_AHEAD:
                yield from _results(*queued.popleft())
        while queued:
            yield from _results(*queued.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _results(
    chunk: list[RawRecord | RorError], future: Future
) -> Iterator[tuple[RawRecord | RorError, Parsed]]:
    try:
        results = iter(future.result())
    except BrokenProcessPool as error:
        raise RecordFailed(f"{chunk[0].where} to {chunk[-1].where}", repr(error)) from None
    for item in chunk:
        yield item, item if isinstance(item, RorError) else next(results)
