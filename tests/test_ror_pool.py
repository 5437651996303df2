"""ROR import with a process pool: the same database as in one process, errors named."""

from __future__ import annotations

import gzip
import itertools
import json
import os

import pytest

from passerelle.ingest import ror_pool, ror_records
from passerelle.ingest.models import ExternalRecord
from passerelle.ingest.ror import RorImportAborted, import_ror
from passerelle.registry.models import Organization, Place

from .ror_samples import CLB_V2, CRCL_CHILD, HCL_V1, _jsonl

#: A pool forced on a few records: several chunks, both workers busy.
FORCED = {"threshold": 1, "chunk_size": 7, "workers": 2}


def _sample(shared_dir, tmp_path):
    """The fixtures' records, a bad line, and the dump's first 150 records when it is here."""
    lines = [CRCL_CHILD, "{not json", CLB_V2, HCL_V1]
    dump = shared_dir / "data" / "ror" / "ror-records-51k.jsonl.gz"
    if dump.exists():
        with gzip.open(dump, "rt", encoding="utf-8") as records:
            lines += [line.strip() for line in itertools.islice(records, 150)]
    return _jsonl(tmp_path / "ror.jsonl", lines)


def _database() -> dict:
    """What an import leaves, keyed by ROR id rather than by primary key."""
    ror_of = dict(
        Organization.objects.filter(identifiers__scheme="ror").values_list(
            "pk", "identifiers__value"
        )
    )
    state = {}
    for org in Organization.objects.select_related("place", "external_record"):
        state[ror_of[org.pk]] = (
            org.name,
            org.name_en,
            org.name_fr,
            org.acronym,
            org.kind,
            org.status,
            org.place.geonames_id if org.place else None,
            ror_of.get(org.parent_id),
            sorted(org.names.values_list("value", "kind", "language")),
            sorted(org.identifiers.values_list("scheme", "value")),
            sorted(
                (kind, target, ror_of.get(target_id))
                for kind, target, target_id in org.relationships.values_list(
                    "kind", "target_ror", "target_id"
                )
            ),
            (org.external_record.digest, org.external_record.values),
            list(org.history.values_list("history_type", "history_change_reason")),
        )
    places = sorted(Place.objects.values_list("geonames_id", "name_en", "region", "country"))
    return {"organizations": state, "places": places}


def _clear() -> None:
    ExternalRecord.objects.all().delete()
    Organization.objects.all().delete()
    Organization.history.all().delete()
    Place.objects.all().delete()
    Place.history.all().delete()


def test_the_pool_gives_the_same_database_as_one_process(db, shared_dir, tmp_path):
    path = _sample(shared_dir, tmp_path)
    alone = import_ror(path, pool={"threshold": 10**9})
    expected = _database()
    _clear()
    pooled = import_ror(path, pool=FORCED)
    assert str(pooled) == str(alone) and pooled.created >= 3
    assert [str(e) for e in pooled.errors] == [str(e) for e in alone.errors]
    assert "ror.jsonl line 2" in str(pooled.errors[0])
    assert _database() == expected
    again = import_ror(path, pool=FORCED)  # and re-reading it in the pool changes nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, pooled.created)
    assert _database() == expected


def _failing_on_hcl(record, ror):
    if ror == "01502ca60":
        raise RuntimeError("a bug in the v1 reader")
    return original_parse_v1(record, ror)


original_parse_v1 = ror_records._parse_v1


def test_a_failure_in_a_worker_names_the_record_and_writes_nothing(db, tmp_path, monkeypatch):
    monkeypatch.setattr(ror_records, "_parse_v1", _failing_on_hcl)  # the workers fork after it
    path = _jsonl(tmp_path / "ror.jsonl", [CLB_V2, CRCL_CHILD, HCL_V1] * 5)
    with pytest.raises(RorImportAborted) as aborted:
        import_ror(path, pool=FORCED)
    assert "ror.jsonl line 3: the record could not be read" in str(aborted.value)
    assert "RuntimeError('a bug in the v1 reader')" in str(aborted.value)
    assert "Nothing was imported" in str(aborted.value)
    assert not Organization.objects.exists() and not Place.objects.exists()


def test_a_worker_that_dies_is_reported_by_its_records_and_nothing_is_written(
    db, tmp_path, monkeypatch
):
    monkeypatch.setattr(ror_records, "_parse_v1", lambda record, ror: os._exit(3))
    path = _jsonl(tmp_path / "ror.jsonl", [CLB_V2, HCL_V1])
    with pytest.raises(RorImportAborted, match=r"ror\.jsonl line 1 to ror\.jsonl line 2"):
        import_ror(path, pool=FORCED)
    assert not Organization.objects.exists()


def test_strict_in_the_pool_stops_at_the_first_bad_record(db, tmp_path):
    path = _jsonl(tmp_path / "ror.jsonl", [CLB_V2, CRCL_CHILD, "[]", HCL_V1] * 4)
    with pytest.raises(RorImportAborted, match=r"(?s)ror\.jsonl line 3:.*--strict"):
        import_ror(path, strict=True, pool=FORCED)
    assert not Organization.objects.exists()


def test_a_small_file_is_read_without_starting_a_pool(db, tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for three records")

    monkeypatch.setattr(ror_pool, "ProcessPoolExecutor", no_pool)
    path = _jsonl(tmp_path / "ror.jsonl", [CLB_V2, HCL_V1, CRCL_CHILD])
    assert import_ror(path).created == 3
    assert ror_pool.POOL_THRESHOLD > 3


def test_read_all_keeps_the_files_order_and_its_own_errors():
    items = [
        ror_records.RawRecord(f"line {n}", "", json.dumps(r))
        for n, r in enumerate([CLB_V2, HCL_V1, CRCL_CHILD] * 4, start=1)
    ]
    items.insert(5, ror_records.RorError("after line 5", "the file is truncated"))
    results = list(ror_pool.read_all(items, threshold=1, chunk_size=2, workers=2))
    assert [item for item, _ in results] == items
    assert results[5][1] is items[5]
    assert [parsed[0].ror for _, parsed in results if isinstance(parsed, tuple)] == [
        r.ror
        for r in (
            ror_pool.read_one(i.where, i.text)[0]
            for i in items
            if isinstance(i, ror_records.RawRecord)
        )
    ]
