"""What a cached value read, and renewing only the values that read what changed.

While a page renders, the code that reads records says what it read, with
:func:`depends_on`: a record (``registry.organization:42``), one facet of a record (its
``…:name``, what a link to it shows), or an aggregate key (``country:FR``, ``map``,
``topic:7``, ``year:2024``, ``network``). :func:`collecting` gathers those keys for the
request (a context variable, so threads and async tasks keep theirs apart). The cached
value stores the keys with the versions they had; a read compares them with the current
versions in one ``get_many`` and serves the value only if none moved.

Versions live in the Django cache (Redis in production), never in process memory, so
that every web process sees an edit made in another; where the cache is files on disk,
in a table of the database instead (:class:`TableVersions`). A version is the time of its
renewal in nanoseconds: a value whose render began before one of its keys was renewed
is not stored (see :func:`fresh_since`).

Edits renew keys: the receivers here map a saved, deleted or relinked record to its
keys with the mappers the apps register (:func:`register`); a record of a watched app
that no mapper knows renews :data:`EVERYTHING`, which every cached page depends on, as
a bulk load does. Each change also renews :data:`ANY`, the key of the values that do
not say what they read.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .signals import records_bulk_loaded

#: Renewed by bulk loads and by changes no mapper knows: every precise page depends on it.
EVERYTHING = "everything"
#: Renewed by every change: what a value that does not say what it read depends on.
ANY = "any"
PREFIX = "dep:"

#: A mapper: (instance, changed attribute names or None when unknown, event) → keys.
#: The event is "save", "delete", or an m2m action ("post_add", "post_remove", …).
Mapper = Callable[[models.Model, "set[str] | None", str], Iterable[str]]
#: For m2m changes: (instance, through model, pk_set, reverse, action) → keys.
RelationMapper = Callable[[models.Model, type, "set | None", bool, str], Iterable[str]]

_MAPPERS: dict[type, Mapper] = {}
_RELATION_MAPPERS: dict[type, RelationMapper] = {}
_collected: ContextVar[set[str] | None] = ContextVar("passerelle_dependencies", default=None)


def record_key(record: models.Model | type, pk=None, facet: str = "") -> str:
    """The key of one record, e.g. ``registry.organization:42`` or ``…:42:name``."""
    meta = record._meta
    key = f"{meta.label_lower}:{record.pk if pk is None else pk}"
    return f"{key}:{facet}" if facet else key


def depends_on(*keys: str) -> None:
    """Declare, in the value being built (if any), that it read these keys."""
    collected = _collected.get()
    if collected is not None:
        collected.update(keys)


def depends_on_record(record: models.Model | None, facet: str = "") -> None:
    """Declare a record (or one facet of it) read; nothing when no value is being built."""
    collected = _collected.get()
    if collected is not None and record is not None and record.pk is not None:
        collected.add(record_key(record, facet=facet))


@contextlib.contextmanager
def collecting() -> Iterator[set[str]]:
    """Gather the keys declared inside the block into the set it yields."""
    keys: set[str] = set()
    token = _collected.set(keys)
    try:
        yield keys
    finally:
        _collected.reset(token)


def now() -> int:
    return time.time_ns()


class CacheVersions:
    """Versions in the Django cache (Redis, or memory in tests): one MGET a read."""

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found = cache.get_many([PREFIX + k for k in keys])
        return {k[len(PREFIX) :]: v for k, v in found.items()}

    def add_many(self, versions: dict[str, str]) -> None:
        for key, version in versions.items():
            cache.add(PREFIX + key, version, timeout=None)

    def set_many(self, versions: dict[str, str]) -> None:
        cache.set_many({PREFIX + k: v for k, v in versions.items()}, timeout=None)

    def delete(self, key: str) -> None:
        cache.delete(PREFIX + key)


class TableVersions:
    """Versions in a table of the database, where the cache is files on disk."""

    CHUNK = 2000

    def get_many(self, keys: list[str]) -> dict[str, str]:
        from .models import DependencyVersion

        found = {}
        for start in range(0, len(keys), self.CHUNK):
            rows = DependencyVersion.objects.filter(key__in=keys[start : start + self.CHUNK])
            found.update((key, str(version)) for key, version in rows.values_list("key", "version"))
        return found

    def _rows(self, versions: dict[str, str]) -> list:
        from .models import DependencyVersion

        return [DependencyVersion(key=k[:200], version=int(v)) for k, v in versions.items()]

    def add_many(self, versions: dict[str, str]) -> None:
        from .models import DependencyVersion

        DependencyVersion.objects.bulk_create(self._rows(versions), ignore_conflicts=True)

    def set_many(self, versions: dict[str, str]) -> None:
        from .models import DependencyVersion

        DependencyVersion.objects.bulk_create(
            self._rows(versions),
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["version"],
            batch_size=self.CHUNK,
        )

    def delete(self, key: str) -> None:
        from .models import DependencyVersion

        DependencyVersion.objects.filter(key=key).delete()


def store() -> CacheVersions | TableVersions:
    """Where the versions are: the cache, unless it is files on disk (see TableVersions)."""
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache

    return TableVersions() if isinstance(caches["default"], FileBasedCache) else CacheVersions()


def versions(keys: Iterable[str], since: int | None = None) -> dict[str, str]:
    """The current version of each key. A key never renewed (or evicted) gets one, the time
    ``since`` (the start of the render) or now: never a version it had before, so that an
    eviction reads as a change, never as "unchanged"."""
    keys = sorted(set(keys))
    versions_ = store()
    found = versions_.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        initial = str(now() if since is None else since)
        versions_.add_many(dict.fromkeys(missing, initial))
        found.update(versions_.get_many(missing))
    return {k: found.get(k, "") for k in keys}


def unchanged(stored: dict[str, str]) -> bool:
    """Whether every key still has the version it had when the value was stored."""
    current = store().get_many(list(stored))
    return all(current.get(k) == v for k, v in stored.items())


def fresh_since(stored: dict[str, str], start: int) -> bool:
    """Whether no key was renewed after ``start`` (a value built meanwhile may be stale)."""
    return all(v.isdigit() and int(v) <= start for v in stored.values())


def renew(keys: Iterable[str]) -> None:
    """Give these keys new versions, now and again when the transaction commits.

    Now, so that the writer's next page already shows the change; at commit, so that a
    value another reader built from the old rows meanwhile is dropped too.
    """
    keys = set(keys) | {ANY}

    def apply() -> None:
        store().set_many(dict.fromkeys(keys, str(now())))

    apply()
    transaction.on_commit(apply)


def renew_everything() -> None:
    renew({EVERYTHING})


def register(model: type, mapper: Mapper) -> None:
    """Say which keys a change to a record of this model renews (an app's ``ready()``)."""
    _MAPPERS[model] = mapper


def register_relation(through: type, mapper: RelationMapper) -> None:
    """Say which keys a change of this many-to-many relation renews."""
    _RELATION_MAPPERS[through] = mapper


# -- what changed


def loaded_values(instance: models.Model) -> dict | None:
    """The values the record had when read from the database (see Record.from_db)."""
    loaded = instance.__dict__.get("_loaded_values")
    return dict(zip(*loaded, strict=True)) if loaded else None


def changed_fields(instance: models.Model, created: bool = False) -> set[str] | None:
    """The attribute names whose values differ from those read; None when not known (a new
    record, or one not read from the database): then every field counts as changed."""
    if created:
        return None
    before = loaded_values(instance)
    if before is None:
        return None
    changed = set()
    for field in instance._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            continue  # "updated" moves on every save: it is not what pages show
        name = field.attname
        if name not in before or name not in instance.__dict__:
            if name in before or name in instance.__dict__:
                changed.add(name)  # deferred on one side: assume it moved
            continue
        if before[name] != instance.__dict__[name]:
            changed.add(name)
    return changed


def remember(instance: models.Model) -> None:
    """After a save, what is now stored is what the next save compares with."""
    names = tuple(
        f.attname for f in instance._meta.concrete_fields if f.attname in instance.__dict__
    )
    instance.__dict__["_loaded_values"] = (names, tuple(instance.__dict__[n] for n in names))


# -- receivers


def _watched(sender) -> bool:
    from .changes import WATCHED_APPS

    meta = getattr(sender, "_meta", None)
    return bool(
        meta
        and meta.app_label in WATCHED_APPS
        and not meta.object_name.startswith("Historical")
        and meta.object_name != "DependencyVersion"
    )


def _mapped(sender) -> Mapper | None:
    for model in getattr(sender, "__mro__", ()):
        if model in _MAPPERS:
            return _MAPPERS[model]
    return None


def _saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not _watched(sender):
        return
    mapper = _mapped(sender)
    if mapper is None:
        renew_everything()
        return
    changed = changed_fields(instance, created)
    if changed is not None and not changed:
        remember(instance)
        return  # saved as it was: nothing a page shows moved
    renew(mapper(instance, changed, "save"))
    remember(instance)


def _deleted(sender, instance, **kwargs) -> None:
    if not _watched(sender):
        return
    mapper = _mapped(sender)
    renew(mapper(instance, None, "delete") if mapper else {EVERYTHING})


def _relinked(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if not action.startswith("post_") or not (_watched(type(instance)) or _watched(model)):
        return
    mapper = _RELATION_MAPPERS.get(sender)
    renew(mapper(instance, sender, pk_set, reverse, action) if mapper else {EVERYTHING})


def _bulk_loaded(sender, **kwargs) -> None:
    renew_everything()


def connect() -> None:
    """Wired once, by CoreConfig.ready()."""
    post_save.connect(_saved, dispatch_uid="dependencies-saved")
    post_delete.connect(_deleted, dispatch_uid="dependencies-deleted")
    m2m_changed.connect(_relinked, dispatch_uid="dependencies-relinked")
    records_bulk_loaded.connect(_bulk_loaded, dispatch_uid="dependencies-bulk")
