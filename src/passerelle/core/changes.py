"""The records' change clock: one version that every save, delete or bulk load renews.

What is derived from many records at once (a public page names an activity's partners,
their cities, its topics; matchmaking counts the countries the region works with) is
cached under a key that carries this version, rather than tracking which record each
cached value depends on: any change to a record renews the version, and every such
cache misses at once. The clock lives in ``core`` so that any layer may read it; the
apps whose records feed those caches say so with :func:`watch` in their ``ready()``.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .signals import records_bulk_loaded

VERSION_KEY = "records:content-version"
#: The labels of the apps whose records' changes renew the version (see :func:`watch`).
WATCHED_APPS: set[str] = {"core"}


def watch(app_label: str) -> None:
    """Renew the version whenever a record of this app is saved, deleted or relinked."""
    WATCHED_APPS.add(app_label)


def content_version() -> str:
    """The current version, a string to put in cache keys."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def records_changed() -> None:
    """Renew the version, now and again when the transaction commits.

    Now, so that the writer's next page already shows the change; at commit, so
    that a value another reader cached from the old rows meanwhile is dropped too.
    """

    def renew() -> None:
        cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)

    renew()
    transaction.on_commit(renew)


def record_signal_receiver(sender, **kwargs) -> None:
    """post_save, post_delete and m2m_changed of any model of the watched apps (their
    history tables aside: writing history is not a change of what records say)."""
    meta = getattr(sender, "_meta", None)
    if meta and meta.app_label in WATCHED_APPS and not meta.object_name.startswith("Historical"):
        records_changed()


def _bulk_loaded(sender, **kwargs) -> None:
    records_changed()


def connect() -> None:
    """Wired once, by CoreConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(record_signal_receiver, dispatch_uid=f"records-changed-{signal!r}")
    records_bulk_loaded.connect(_bulk_loaded, dispatch_uid="records-changed-bulk")
