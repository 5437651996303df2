"""Writing records in the interchange shape: the whole document, or the records an API page shows.

One exporter follows the table of :mod:`.format` for every section. It reads a
chunk of records at a time with one query per relation, and writes a reference
only to a record its reader may read: a public export names no internal place,
and the API shows an anonymous client no id of a confidential parent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from passerelle import __version__
from passerelle.activities.models import Activity, Participation
from passerelle.core.models import Citation, Source
from passerelle.core.users import AnyUser
from passerelle.core.visibility import (
    participations_visible_to,
    public,
    public_participations,
    visible_to,
)
from passerelle.registry.models import Organization, Person

from .format import FORMAT, PARTS, SECTIONS, VERSION, Part, Section, is_empty, plain

#: Records read at once; the number of queries grows with the records by these chunks only.
ACTIVITY_CHUNK = 2000
#: How each part's rows are ordered in a record.
PART_ORDER = {
    "other_names": ("kind", "value", "language"),
    "identifiers": ("scheme", "value"),
    "affiliations": ("start", "pk"),
    "participations": ("role", "pk"),
    "commitments": ("position", "pk"),
    "links": ("relation", "pk"),
    "agenda": ("day", "time", "position", "pk"),
    "follow_ups": ("due", "pk"),
}
#: The order of a section the database sorts (the others are sorted on their names, here).
DATABASE_ORDER = {Activity: ("kind", "start", "title_en", "uid")}


def _sort_key(*parts: Any) -> tuple:
    """Order the same way on every database, whatever its collation."""
    return tuple(str(p).casefold() for p in parts)


def _non_empty(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if not is_empty(value)}


class Exporter:
    """What one reader sees: everything (a file), the public records, or a user's records.

    ``whole``: the ids of every readable record are read once per kind (an export of
    everything); otherwise only those the records in hand refer to (an API page).
    """

    def __init__(self, *, user=None, public_only: bool = False, whole: bool = True):
        self.user = user
        self.public_only = public_only
        self.whole = whole
        self.uids: dict[type, dict[int, str]] = defaultdict(dict)
        self.names: dict[type, dict[int, str]] = defaultdict(dict)
        self.asked: dict[type, set[int]] = defaultdict(set)
        self.complete: set[type] = set()
        self.cited: dict | None = None

    def readable(self, model: type[models.Model]) -> models.QuerySet:
        records = model._default_manager.all()
        if model is Participation:
            if self.public_only:
                return public_participations(records)
            return records if self.user is None else participations_visible_to(records, self.user)
        if not any(f.name == "visibility" for f in model._meta.concrete_fields):
            return records  # a part of a record (a commitment) is read with its record
        if self.public_only:
            return public(records)
        return records if self.user is None else visible_to(records, self.user)

    def need(self, model: type, pks: Iterable[int | None]) -> None:
        """Read the ids of the records of ``model`` among ``pks`` that the reader may read."""
        if model in self.complete:
            return
        records = self.readable(model)
        if self.whole:
            self.complete.add(model)
        else:
            missing = {pk for pk in pks if pk} - self.asked[model]
            if not missing:
                return
            self.asked[model] |= missing
            records = records.filter(pk__in=missing)
        if model in (Organization, Person):
            self.remember(model, records)
        else:
            self.uids[model].update(
                (pk, str(uid)) for pk, uid in records.values_list("pk", "uid").iterator()
            )

    def remember(self, model: type, objects: Iterable[models.Model]) -> None:
        for obj in objects:
            self.uids[model][obj.pk] = str(obj.uid)
            if model in (Organization, Person):
                self.names[model][obj.pk] = str(obj)

    def ref(self, model: type, pk: int | None) -> str | None:
        return self.uids[model].get(pk) if pk else None

    def citations(self, model: type, pks: list[int]) -> dict[int, list[dict]]:
        """The citations of these records, of sources the reader may read."""
        content_type = ContentType.objects.get_for_model(model).pk
        if self.whole:  # every citation, read once
            if self.cited is None:
                self.cited = defaultdict(lambda: defaultdict(list))
                for row in Citation.objects.order_by("pk").values_list(
                    "content_type_id", "object_id", "source_id", "quotation", "locator"
                ):
                    self.cited[row[0]][row[1]].append(row[2:])
            rows = self.cited[content_type]
        else:
            rows = defaultdict(list)
            for object_id, *row in (
                Citation.objects.filter(content_type_id=content_type, object_id__in=pks)
                .order_by("pk")
                .values_list("object_id", "source_id", "quotation", "locator")
            ):
                rows[object_id].append(row)
        self.need(Source, (row[0] for pk in pks for row in rows.get(pk, ())))
        cited: dict[int, list[dict]] = defaultdict(list)
        for pk in pks:
            for source_id, quotation, locator in rows.get(pk, ()):
                source = self.ref(Source, source_id)
                if source:
                    cited[pk].append(
                        {"source": source, **_non_empty(quotation=quotation, locator=locator)}
                    )
        return cited

    def related(self, section: Section, pks: list[int]) -> dict[str, dict[int, list[str]]]:
        """The many-to-many references of these records, as sorted lists of ids."""
        result = {}
        for reference in section.references:
            if not reference.many:
                continue
            manager = getattr(section.model, reference.key)
            owner, target = manager.field.m2m_field_name(), manager.field.m2m_reverse_field_name()
            rows = list(
                manager.through.objects.filter(**{f"{owner}_id__in": pks}).values_list(
                    f"{owner}_id", f"{target}_id"
                )
            )
            self.need(reference.model, (target_pk for _, target_pk in rows))
            grouped: dict[int, list[str]] = defaultdict(list)
            for owner_pk, target_pk in rows:
                uid = self.ref(reference.model, target_pk)
                if uid:
                    grouped[owner_pk].append(uid)
            result[reference.key] = {k: sorted(v) for k, v in grouped.items()}
        return result

    def part(self, part: Part, owner: str, pks: list[int]) -> dict[int, list[dict]]:
        """A part's rows of these records, each in its document shape."""
        multiple = {f for f in part.fields if getattr(part.model._meta.get_field(f), "multiple", 0)}
        columns = ["pk", f"{owner}_id", *part.fields, *(f"{r.key}_id" for r in part.references)]
        if part.model is Participation:
            columns += ["organization_id", "person_id"]
        if "id" in part.keys:
            columns.append("uid")
        if "owner" in part.keys:
            columns.append("owner__username")
        rows = list(
            self.readable(part.model)
            .filter(**{f"{owner}_id__in": pks})
            .order_by(*PART_ORDER[part.key])
            .values(*columns)
        )
        for reference in part.references:
            self.need(reference.model, (row[f"{reference.key}_id"] for row in rows))
        if part.model is Participation:
            self.need(Organization, (row["organization_id"] for row in rows))
            self.need(Person, (row["person_id"] for row in rows))
        cited = self.citations(part.model, [row["pk"] for row in rows]) if part.cited else {}
        result: dict[int, list[dict]] = defaultdict(list)
        for row in rows:
            body: dict[str, Any] = {}
            if part.model is Participation:
                model = Organization if row["organization_id"] else Person
                actor = row["organization_id"] or row["person_id"]
                if self.ref(model, actor) is None:
                    continue  # a participant the reader may not read
                body.update(
                    actor_id=self.ref(model, actor),
                    actor_type=model.__name__.lower(),
                    actor_name=self.names[model][actor],
                )
            if "id" in part.keys:
                body["id"] = str(row["uid"])
            if row.get("owner__username"):
                body["owner"] = row["owner__username"]
            for name in part.fields:
                value = row[name]
                value = [c for c in value.split(",") if c] if name in multiple else plain(value)
                if not is_empty(value):
                    body[name] = value
            refs = {r.key: self.ref(r.model, row[f"{r.key}_id"]) for r in part.references}
            if any(r.required and refs[r.key] is None for r in part.references):
                continue  # the row names a record the reader may not read
            body.update(_non_empty(**refs))
            if cited.get(row["pk"]):
                body["sources"] = cited[row["pk"]]
            result[row[f"{owner}_id"]].append(body)
        return result

    def bodies(self, section: Section, objects: list[models.Model]) -> list[dict]:
        """These records of ``section`` in their document shape, in the order given."""
        pks = [obj.pk for obj in objects]
        for reference in section.references:
            if not reference.many:
                self.need(reference.model, (getattr(obj, f"{reference.key}_id") for obj in objects))
        related = self.related(section, pks)
        owner = section.model.__name__.lower()
        parts = {
            name: self.part(PARTS[name], PARTS[name].owner or owner, pks) for name in section.parts
        }
        cited = self.citations(section.model, pks) if section.model is not Source else {}
        result = []
        for obj in objects:
            body = {"id": str(obj.uid)}
            for name in section.fields:
                value = plain(getattr(obj, name))
                if not is_empty(value):
                    body[name] = value
            for reference in section.references:
                if reference.many:
                    value = related[reference.key].get(obj.pk)
                else:
                    value = self.ref(reference.model, getattr(obj, f"{reference.key}_id"))
                if value:
                    body[reference.key] = value
            for name in section.parts:
                if parts[name].get(obj.pk):
                    body[name] = parts[name][obj.pk]
            if cited.get(obj.pk):
                body["sources"] = cited[obj.pk]
            result.append(body)
        return result

    def section(self, section: Section) -> Iterable[dict]:
        """Every readable record of a section: sorted on its names, or read chunk by chunk."""
        records = self.readable(section.model)
        if section.sort is not None:
            objects = list(records)
            if self.whole:
                self.remember(section.model, objects)
                self.complete.add(section.model)
            return sorted(
                self.bodies(section, objects),
                key=lambda r: _sort_key(*(r.get(k, "") for k in section.sort), r["id"]),
            )
        pks = list(records.order_by(*DATABASE_ORDER[section.model]).values_list("pk", flat=True))

        def read() -> Iterator[dict]:
            for start in range(0, len(pks), ACTIVITY_CHUNK):
                chunk = pks[start : start + ACTIVITY_CHUNK]
                found = section.model._default_manager.in_bulk(chunk)
                yield from self.bodies(section, [found[pk] for pk in chunk])

        return read()


def export_records(section: Section, objects: list[models.Model], user: AnyUser) -> list[dict]:
    """Records in hand (an API page) as ``user`` may read them, in the document's shape."""
    return Exporter(user=user, whole=False).bodies(section, objects)


def document_parts(*, public_only: bool = False) -> tuple[dict, dict[str, Iterable[dict]]]:
    """The document's header, and each section as an iterable of records.

    Activities, the large section, come as a generator that reads them chunk by
    chunk, so that the whole document never needs to be in memory at once.
    """
    exporter = Exporter(public_only=public_only)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"passerelle {__version__}",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "public_only": public_only,
    }
    return header, {section.key: exporter.section(section) for section in SECTIONS}


def export_document(*, public_only: bool = False) -> dict[str, Any]:
    """Every record (or every public one) as one interchange document, in memory.

    The number of queries grows with the number of activities by chunks of
    ``ACTIVITY_CHUNK`` only; :func:`write_document` writes a large one to a file.
    """
    header, sections = document_parts(public_only=public_only)
    return {**header, **{name: list(records) for name, records in sections.items()}}


def write_document(out: IO[str], *, public_only: bool = False) -> dict[str, int]:
    """Write the document to ``out`` as it is read; returns the number of records a section."""
    header, sections = document_parts(public_only=public_only)
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    counts = {}
    for position, (name, records) in enumerate(sections.items()):
        out.write(f"  {json.dumps(name)}: [")
        count = 0
        for record in records:
            out.write(",\n    " if count else "\n    ")
            out.write(json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n  ]" if count else "]")
        out.write(",\n" if position < len(sections) - 1 else "\n")
        counts[name] = count
    out.write("}\n")
    return counts
