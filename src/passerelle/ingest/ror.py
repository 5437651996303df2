"""Importing the Research Organization Registry into organizations.

Fast and safe on 51k records and more: unchanged records are recognized by the
digest of their text and never parsed; new ones are written in bulk, history
included; changed ones are merged field by field against the values of the
last import, so that what staff edited in Passerelle stays and is listed as a
conflict. Everything happens in one transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from passerelle.core.collector import without_cyclic_gc
from passerelle.core.models import Visibility
from passerelle.registry.models import (
    Identifier,
    Organization,
    OrganizationName,
    OrganizationRelationship,
    Place,
)

from .bulk import after_bulk_load, history_columns, insert_rows, insert_tuples, reserve_ids
from .models import ExternalRecord, ImportConflict
from .ror_pool import RecordFailed, read_all
from .ror_records import RawRecord, RorError, RorRecord, read_dump

REGISTRY = "ror"
REASON = "ROR import"
BATCH = 2000


class RorImportAborted(Exception):
    """``strict`` import met an error: nothing was written."""


@dataclass
class RorImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    identifier_clashes: int = 0
    relationships_resolved: int = 0
    errors: list[RorError] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.conflicts} conflicts, {len(self.errors)} errors "
            f"({self.identifier_clashes} identifiers already held by another organization, "
            f"{self.relationships_resolved} relationships resolved)"
        )


def import_ror(
    path: str | Path,
    *,
    strict: bool = False,
    progress: Callable[[Iterable], Iterator] | None = None,
    pool: dict | None = None,
) -> RorImportSummary:
    """Create or update organizations from a ROR dump; see the module's docstring. ``pool``
    passes settings to :func:`.ror_pool.read_all` (tests force the pool with a small
    ``threshold``)."""
    summary = RorImportSummary()
    known_digests = set(
        ExternalRecord.objects.filter(registry=REGISTRY).values_list("digest", flat=True)
    )
    records: dict[str, tuple[RorRecord, str, dict]] = {}
    raws = read_dump(path)
    raws = progress(raws) if progress else raws
    reading = read_all(_unknown(raws, known_digests, summary), **(pool or {}))
    try:
        with without_cyclic_gc(), closing(reading):  # an abort stops the workers at once
            for item, parsed in reading:
                if isinstance(parsed, RorError):
                    if strict:
                        raise RorImportAborted(f"{parsed}\nNothing was imported (--strict).")
                    summary.errors.append(parsed)
                    continue
                record, values = parsed
                records[record.ror] = (record, item.digest, values)
    except RecordFailed as error:
        raise RorImportAborted(f"{error}\nNothing was imported.") from None
    with without_cyclic_gc(), transaction.atomic():
        _Writer(summary).write(records)
    if summary.created or summary.updated:
        after_bulk_load(
            Organization,
            OrganizationName,
            Identifier,
            OrganizationRelationship,
            ExternalRecord,
            Place,
        )
    return summary


def _unknown(
    items: Iterable[RawRecord | RorError], known_digests: set[str], summary: RorImportSummary
) -> Iterator[RawRecord | RorError]:
    """The items to read: unchanged records (their text's digest is known) are counted and
    never parsed."""
    for item in items:
        if isinstance(item, RawRecord) and item.digest in known_digests:
            summary.unchanged += 1
        else:
            yield item


def merge(ours, base, theirs, *, has_base: bool) -> tuple[object, bool]:
    """Three-way merge of one field: (value to keep, whether it is a conflict)."""
    if has_base and theirs == base:
        return ours, False  # the registry did not change it: whatever staff did stands
    if not has_base:  # first import over a record made by hand
        if ours in ("", None) or ours == theirs:
            return theirs, False
        return ours, True
    if ours in (base, theirs):
        return theirs, False
    return ours, True


class _Writer:
    def __init__(self, summary: RorImportSummary):
        self.summary = summary
        self.org_by_ror = dict(
            Identifier.objects.filter(scheme="ror").values_list("value", "organization_id")
        )
        self.identifiers_held = dict(
            ((scheme, value), org)
            for scheme, value, org in Identifier.objects.filter(
                organization__isnull=False
            ).values_list("scheme", "value", "organization_id")
        )

    def write(self, records: dict[str, tuple[RorRecord, str, dict]]) -> None:
        if not records:
            return
        self.places = self._places([record for record, _, _ in records.values()])
        new = {ror: pair for ror, pair in records.items() if ror not in self.org_by_ror}
        old = {ror: pair for ror, pair in records.items() if ror in self.org_by_ror}
        self._create(new)
        self._update(old)
        self._set_parents({ror: self.org_by_ror[ror] for ror in old}, records)
        self._resolve_relationships()

    # -- places

    def _places(self, records: list[RorRecord]) -> dict[int, int]:
        wanted = {r.geonames_id: r for r in records if r.geonames_id and r.country}
        places = dict(
            Place.objects.filter(geonames_id__in=list(wanted)).values_list("geonames_id", "pk")
        )
        missing = [
            (geonames_id, r) for geonames_id, r in wanted.items() if geonames_id not in places
        ]
        now = timezone.now()
        rows = [
            {
                "id": pk,
                "uid": uuid.uuid4(),
                "visibility": Visibility.PUBLIC,
                "created": now,
                "updated": now,
                "name_en": r.city[:200],
                "name_fr": "",
                "region": r.region[:200],
                "region_fr": "",
                "country": r.country,
                "latitude": r.latitude,
                "longitude": r.longitude,
                "geonames_id": geonames_id,
            }
            for pk, (geonames_id, r) in zip(reserve_ids(Place, len(missing)), missing, strict=True)
        ]
        insert_rows(Place, rows)
        insert_rows(Place.history.model, rows, constants=history_columns(reason=REASON, when=now))
        places.update((row["geonames_id"], row["id"]) for row in rows)
        return places

    # -- new organizations

    def _create(self, new: dict[str, tuple[RorRecord, str, dict]]) -> None:
        """New organizations and what hangs on them, as plain rows (see :mod:`.bulk`), each
        organization with its "created" history row."""
        now = timezone.now()
        ids = reserve_ids(Organization, len(new))
        self.org_by_ror.update(zip(new, ids, strict=True))
        organizations, names, identifiers, relationships, externals = [], [], [], [], []
        for (ror, (record, digest, values)), pk in zip(new.items(), ids, strict=True):
            parent = self.org_by_ror.get(values["parent"])
            organizations.append(
                {
                    "id": pk,
                    "uid": uuid.uuid4(),
                    "visibility": Visibility.PUBLIC,
                    "created": now,
                    "updated": now,
                    "name": record.name[:300],
                    "name_en": values["name_en"][:300],
                    "name_fr": values["name_fr"][:300],
                    "acronym": values["acronym"][:50],
                    "kind": record.kind,
                    "status": record.status,
                    "place_id": self.places.get(record.geonames_id),
                    "parent_id": parent if parent != pk else None,
                    "in_region": False,
                }
            )
            names += [(pk, *name) for name in self._names(values["names"])]
            identifiers += [(pk, *pair) for pair in self._identifiers(pk, record.identifiers)]
            relationships += [
                (pk, kind, target, self.org_by_ror.get(target))
                for kind, target in record.relationships
            ]
            externals.append(
                {
                    "registry": REGISTRY,
                    "external_id": ror,
                    "organization_id": pk,
                    "digest": digest,
                    "values": values,
                    "imported": now,
                }
            )
        insert_rows(Organization, organizations)
        insert_rows(
            Organization.history.model,
            organizations,
            constants=history_columns(reason=REASON, when=now),
        )
        insert_tuples(OrganizationName, ["organization_id", "value", "kind", "language"], names)
        insert_tuples(Identifier, ["organization_id", "scheme", "value"], identifiers)
        insert_tuples(
            OrganizationRelationship,
            ["organization_id", "kind", "target_ror", "target_id"],
            relationships,
        )
        insert_rows(ExternalRecord, externals)
        self.summary.created += len(new)
        self.summary.relationships_resolved += sum(1 for r in relationships if r[3])

    @staticmethod
    def _names(entries: list[list[str]]) -> list[tuple[str, str, str]]:
        """(value, kind, language) of an organization's other names, each (value, kind)
        once."""
        seen, rows = set(), []
        for value, kind, lang in entries:
            if (value, kind) not in seen:
                seen.add((value, kind))
                rows.append((value[:300], kind, lang[:10]))
        return rows

    def _identifiers(self, org_id: int, pairs: Iterable[tuple[str, str]]) -> list[tuple]:
        """(scheme, value) of the identifiers to give an organization: those no organization
        holds yet (one another holds is counted as a clash)."""
        rows = []
        for scheme, value in pairs:
            holder = self.identifiers_held.get((scheme, value))
            if holder is not None and holder != org_id:
                self.summary.identifier_clashes += 1
                continue
            if holder is None:
                self.identifiers_held[(scheme, value)] = org_id
                rows.append((scheme, value))
        return rows

    # -- organizations already known

    def _update(self, old: dict[str, tuple[RorRecord, str, dict]]) -> None:
        if not old:
            return
        org_ids = [self.org_by_ror[ror] for ror in old]
        orgs = Organization.objects.in_bulk(org_ids)
        externals = {
            e.organization_id: e
            for e in ExternalRecord.objects.filter(registry=REGISTRY, organization_id__in=org_ids)
        }
        places_by_pk = {pk: geonames for geonames, pk in self.places.items()}
        places_by_pk.update(
            dict(
                Place.objects.filter(
                    pk__in={o.place_id for o in orgs.values() if o.place_id}
                ).values_list("pk", "geonames_id")
            )
        )
        current_names = defaultdict(set)
        for org_id, value, kind in OrganizationName.objects.filter(
            organization_id__in=org_ids
        ).values_list("organization_id", "value", "kind"):
            current_names[org_id].add((value, kind))
        changed, conflicts, new_externals, names, identifiers = [], [], [], [], []
        stale_names: list[tuple[int, str, str]] = []
        for ror, (record, digest, theirs) in old.items():
            org = orgs[self.org_by_ror[ror]]
            external = externals.get(org.pk)
            base = external.values if external else {}
            ours = {
                "name": org.name,
                "name_en": org.name_en,
                "name_fr": org.name_fr,
                "acronym": org.acronym,
                "kind": org.kind,
                "status": org.status,
                "place": places_by_pk.get(org.place_id),
            }
            dirty = False
            for name, value in ours.items():
                kept, conflict = merge(value, base.get(name), theirs[name], has_base=bool(base))
                if conflict:
                    conflicts.append(
                        ImportConflict(
                            organization_id=org.pk,
                            registry=REGISTRY,
                            field=name,
                            ours=str(value or ""),
                            theirs=str(theirs[name] or ""),
                        )
                    )
                if kept != value:
                    dirty = True
                    if name == "place":
                        org.place_id = self.places.get(kept)
                    else:
                        setattr(org, name, kept)
            if dirty:
                changed.append(org)
            wanted_names = {(v, k) for v, k, _ in theirs["names"]}
            before = {(v, k) for v, k, _ in base.get("names", [])}
            names += [
                OrganizationName(organization_id=org.pk, value=value, kind=kind, language=lang)
                for value, kind, lang in self._names(theirs["names"])
                if (value, kind) not in current_names[org.pk]
            ]
            stale_names += [(org.pk, v, k) for v, k in before - wanted_names]
            identifiers += [
                Identifier(organization_id=org.pk, scheme=scheme, value=value)
                for scheme, value in self._identifiers(org.pk, record.identifiers)
            ]
            if external is None:
                external = ExternalRecord(registry=REGISTRY, external_id=ror, organization=org)
            external.digest, external.values = digest, theirs
            new_externals.append(external)
        for org_id, value, kind in stale_names:
            OrganizationName.objects.filter(organization_id=org_id, value=value, kind=kind).delete()
        OrganizationName.objects.bulk_create(names, batch_size=BATCH, ignore_conflicts=True)
        Identifier.objects.bulk_create(identifiers, batch_size=BATCH)
        fields = ["name", "name_en", "name_fr", "acronym", "kind", "status", "place"]
        bulk_update_with_history(
            changed, Organization, fields, batch_size=BATCH, default_change_reason=REASON
        )
        ImportConflict.objects.bulk_create(conflicts, batch_size=BATCH)
        OrganizationRelationship.objects.filter(organization_id__in=org_ids).delete()
        OrganizationRelationship.objects.bulk_create(
            [
                OrganizationRelationship(
                    organization_id=self.org_by_ror[ror], kind=kind, target_ror=target
                )
                for ror, (record, _, _) in old.items()
                for kind, target in record.relationships
            ],
            batch_size=BATCH,
        )
        for external in new_externals:
            if external.pk:
                external.save(update_fields=["digest", "values", "imported"])
            else:
                external.save()
        self.summary.updated += len(old)
        self.summary.conflicts += len(conflicts)

    # -- relations between organizations

    def _set_parents(self, imported: dict[str, int], records) -> None:
        """Parents follow the registry, unless staff chose another one."""
        orgs = Organization.objects.in_bulk(list(imported.values()))
        changed = []
        for ror, org_id in imported.items():
            record, _, _ = records[ror]
            org = orgs[org_id]
            wanted = next((t for kind, t in record.relationships if kind == "parent"), "")
            target = self.org_by_ror.get(wanted)
            if target and org.parent_id is None and target != org.pk:
                org.parent_id = target
                changed.append(org)
        bulk_update_with_history(
            changed, Organization, ["parent"], batch_size=BATCH, default_change_reason=REASON
        )

    def _resolve_relationships(self) -> None:
        """Relationships kept from earlier imports whose target has now arrived."""
        unresolved = OrganizationRelationship.objects.filter(target__isnull=True).exclude(
            target_ror=""
        )
        resolved = [
            (self.org_by_ror[target_ror], pk, organization_id, kind)
            for pk, target_ror, organization_id, kind in unresolved.values_list(
                "pk", "target_ror", "organization_id", "kind"
            )
            if target_ror in self.org_by_ror
        ]
        _execute_many(
            "UPDATE registry_organizationrelationship SET target_id = %s WHERE id = %s",
            [(target, pk) for target, pk, _, _ in resolved],
        )
        self.summary.relationships_resolved += len(resolved)
        late_parents = {org: target for target, _, org, kind in resolved if kind == "parent"}
        orgs = [
            o
            for o in Organization.objects.filter(pk__in=list(late_parents), parent__isnull=True)
            if late_parents[o.pk] != o.pk
        ]
        for org in orgs:
            org.parent_id = late_parents[org.pk]
        bulk_update_with_history(
            orgs, Organization, ["parent"], batch_size=BATCH, default_change_reason=REASON
        )


def _execute_many(sql: str, rows: list[tuple]) -> None:
    """One statement for many rows: far cheaper than bulk_update's CASE over 50k rows."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
