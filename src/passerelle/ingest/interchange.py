"""The Passerelle interchange document: every record in one JSON document.

The format is described in ``docs/interchange.md``. Records are identified by
their stable UUIDs, so importing a document twice updates what the first import
created instead of duplicating it, and a document exported from one database
and imported into another keeps its ids. An activity carries its
participations, commitments and links inline: the document states the whole of
an activity, and importing it makes the database say the same.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_countries.fields import Country

from passerelle import __version__
from passerelle.activities.models import (
    Activity,
    ActivityLink,
    Commitment,
    Participation,
    check_parties,
)
from passerelle.core.models import Citation, Source
from passerelle.core.visibility import public, public_participations
from passerelle.registry.models import (
    Affiliation,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Place,
    Topic,
)

FORMAT = "passerelle"
VERSION = 1

PLACE_FIELDS = (
    "name_en",
    "name_fr",
    "region",
    "country",
    "latitude",
    "longitude",
    "geonames_id",
    "visibility",
    "draft",
)
TOPIC_FIELDS = ("slug", "name_en", "name_fr", "kind", "mesh_id", "ncit_id", "visibility", "draft")
SOURCE_FIELDS = (
    "title",
    "url",
    "document",
    "publisher",
    "published",
    "accessed",
    "note",
    "visibility",
    "draft",
)
ORGANIZATION_FIELDS = (
    "name",
    "name_en",
    "name_fr",
    "acronym",
    "kind",
    "status",
    "in_region",
    "visibility",
    "draft",
)
PERSON_FIELDS = ("title", "given_name", "family_name", "visibility", "draft")
ACTIVITY_FIELDS = (
    "kind",
    "category",
    "title_en",
    "title_fr",
    "acronym",
    "summary_en",
    "summary_fr",
    "start",
    "end",
    "visibility",
    "draft",
    "objectives_en",
    "objectives_fr",
    "funding_amount",
    "funding_currency",
    "status",
    "signed_on",
    "edition",
    "venue",
    "alternating",
    "direction",
    "delegation_country",
    "purpose_en",
    "purpose_fr",
    "follow_up",
    "exchange_category",
    "headcount",
)
PARTICIPATION_FIELDS = ("role", "start", "end", "note", "visibility")
COMMITMENT_FIELDS = (
    "area",
    "text_en",
    "text_fr",
    "cadence",
    "alternate_countries",
    "exchange_categories",
    "position",
)
SECTIONS = ("sources", "places", "topics", "organizations", "people", "activities")


class DocumentError(Exception):
    """A document that cannot be imported, with where (``path``) and why."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# ----------------------------------------------------------------------------- export


def _plain(value: Any) -> Any:
    """A model value as JSON holds it: country codes, decimals as text, UUIDs as text."""
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Country):
        return value.code
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return [_plain(v) for v in value]  # a multiple CountryField's list-like value


def _is_empty(value: Any) -> bool:
    return value in ("", None, False, [])


def _scalars(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    result = {}
    for name in names:
        value = _plain(getattr(obj, name))
        if not _is_empty(value):
            result[name] = value
    return result


def _sort_key(*parts: Any) -> tuple:
    """Order the same way on every database, whatever its collation."""
    return tuple(str(p).casefold() for p in parts)


@dataclass
class _Exporter:
    public_only: bool
    uids: dict[type, dict[int, str]] = field(default_factory=dict)
    citations: dict[tuple[int, int], list[dict]] = field(default_factory=lambda: defaultdict(list))
    content_types: dict[type, int] = field(default_factory=dict)
    names: dict[type, dict[int, str]] = field(default_factory=dict)

    def records(self, model: type[models.Model]) -> models.QuerySet:
        queryset = model.objects.all()
        return public(queryset) if self.public_only else queryset

    def remember(self, model: type, objects: Iterable[models.Model]) -> None:
        objects = list(objects)
        self.uids[model] = {obj.pk: str(obj.uid) for obj in objects}
        if model in (Organization, Person):
            self.names[model] = {obj.pk: str(obj) for obj in objects}

    def ref(self, model: type, pk: int | None) -> str | None:
        return self.uids[model].get(pk) if pk else None

    def load_citations(self) -> None:
        for model in (Source, Place, Topic, Organization, Person, Activity, Participation):
            self.content_types[model] = ContentType.objects.get_for_model(model).pk
        sources = self.uids[Source]
        rows = Citation.objects.order_by("pk").values_list(
            "content_type_id", "object_id", "source_id", "quotation", "locator"
        )
        for content_type, object_id, source_id, quotation, locator in rows:
            if source_id not in sources:
                continue
            citation = {"source": sources[source_id]}
            citation.update(
                {k: v for k, v in (("quotation", quotation), ("locator", locator)) if v}
            )
            self.citations[(content_type, object_id)].append(citation)

    def cited(self, model: type, pk: int) -> list[dict]:
        return self.citations.get((self.content_types[model], pk), [])


def _grouped(rows: Iterable[tuple]) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for key, *rest in rows:
        groups[key].append(rest[0] if len(rest) == 1 else rest)
    return groups


def document_parts(*, public_only: bool = False) -> tuple[dict, dict[str, Iterable[dict]]]:
    """The document's header, and each section as an iterable of records.

    Activities, the large section, come as a generator that reads them chunk by
    chunk, so that the whole document never needs to be in memory at once.
    """
    ex = _Exporter(public_only=public_only)
    sources = list(ex.records(Source))
    places = list(ex.records(Place))
    topics = list(ex.records(Topic))
    organizations = list(ex.records(Organization))
    people = list(ex.records(Person))
    for model, objects in (
        (Source, sources),
        (Place, places),
        (Topic, topics),
        (Organization, organizations),
        (Person, people),
    ):
        ex.remember(model, objects)
    ex.uids[Activity] = {
        pk: str(uid) for pk, uid in ex.records(Activity).values_list("pk", "uid").iterator()
    }
    ex.load_citations()

    def with_sources(model, pk, body):
        cited = ex.cited(model, pk)
        if cited:
            body["sources"] = cited
        return body

    header = {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"passerelle {__version__}",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "public_only": public_only,
    }
    sections: dict[str, Iterable[dict]] = {}
    sections["sources"] = sorted(
        ({"id": str(s.uid), **_scalars(s, SOURCE_FIELDS)} for s in sources),
        key=lambda r: _sort_key(r["title"], r["id"]),
    )
    sections["places"] = sorted(
        (
            with_sources(Place, p.pk, {"id": str(p.uid), **_scalars(p, PLACE_FIELDS)})
            for p in places
        ),
        key=lambda r: _sort_key(r["country"], r.get("name_en", ""), r.get("region", ""), r["id"]),
    )
    sections["topics"] = sorted(
        (
            with_sources(
                Topic,
                t.pk,
                {
                    "id": str(t.uid),
                    **_scalars(t, TOPIC_FIELDS),
                    **_refs(parent=ex.ref(Topic, t.parent_id)),
                },
            )
            for t in topics
        ),
        key=lambda r: _sort_key(r["name_en"], r["id"]),
    )
    sections["organizations"] = _export_organizations(ex, organizations, with_sources)
    sections["people"] = _export_people(ex, people, with_sources)
    sections["activities"] = _export_activities(ex, with_sources)
    return header, sections


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


def _refs(**refs: Any) -> dict[str, Any]:
    return {name: value for name, value in refs.items() if not _is_empty(value)}


def _m2m(
    through: type[models.Model],
    owner: str,
    target: str,
    uids: dict[int, str],
    owners: list[int] | None = None,
) -> dict[int, list[str]]:
    rows = through.objects.values_list(f"{owner}_id", f"{target}_id")
    if owners is not None:
        rows = rows.filter(**{f"{owner}_id__in": owners})
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_pk, target_pk in rows:
        if target_pk in uids:
            grouped[owner_pk].append(uids[target_pk])
    return {k: sorted(v) for k, v in grouped.items()}


def _export_organizations(ex: _Exporter, organizations, with_sources) -> list[dict]:
    names = _grouped(
        OrganizationName.objects.order_by("kind", "value", "language").values_list(
            "organization_id", "value", "kind", "language"
        )
    )
    identifiers = _grouped(
        Identifier.objects.filter(organization__isnull=False)
        .order_by("scheme", "value")
        .values_list("organization_id", "scheme", "value")
    )
    topics = _m2m(Organization.topics.through, "organization", "topic", ex.uids[Topic])
    result = []
    for org in organizations:
        body = {
            "id": str(org.uid),
            **_scalars(org, ORGANIZATION_FIELDS),
            **_refs(
                place=ex.ref(Place, org.place_id),
                parent=ex.ref(Organization, org.parent_id),
                topics=topics.get(org.pk),
            ),
        }
        if org.pk in names:
            body["other_names"] = [
                _refs(value=v, kind=k, language=lang) for v, k, lang in names[org.pk]
            ]
        if org.pk in identifiers:
            body["identifiers"] = [{"scheme": s, "value": v} for s, v in identifiers[org.pk]]
        result.append(with_sources(Organization, org.pk, body))
    return sorted(result, key=lambda r: _sort_key(r["name"], r["id"]))


def _export_people(ex: _Exporter, people, with_sources) -> list[dict]:
    identifiers = _grouped(
        Identifier.objects.filter(person__isnull=False)
        .order_by("scheme", "value")
        .values_list("person_id", "scheme", "value")
    )
    affiliations = _grouped(
        Affiliation.objects.order_by("start", "pk").values_list(
            "person_id", "organization_id", "position", "start", "end"
        )
    )
    topics = _m2m(Person.topics.through, "person", "topic", ex.uids[Topic])
    result = []
    for person in people:
        body = {
            "id": str(person.uid),
            **_scalars(person, PERSON_FIELDS),
            **_refs(place=ex.ref(Place, person.place_id), topics=topics.get(person.pk)),
        }
        if person.pk in identifiers:
            body["identifiers"] = [{"scheme": s, "value": v} for s, v in identifiers[person.pk]]
        rows = [
            _refs(organization=ex.ref(Organization, org), position=position, start=start, end=end)
            for org, position, start, end in affiliations.get(person.pk, [])
            if ex.ref(Organization, org)
        ]
        if rows:
            body["affiliations"] = rows
        result.append(with_sources(Person, person.pk, body))
    return sorted(
        result, key=lambda r: _sort_key(r["family_name"], r.get("given_name", ""), r["id"])
    )


ACTIVITY_CHUNK = 2000


def _export_activities(ex: _Exporter, with_sources) -> Iterator[dict]:
    """Activities with their participations, commitments and links, a chunk at a time."""
    commitments: dict[int, list[dict]] = defaultdict(list)
    commitment_uids = {}
    for c in Commitment.objects.order_by("position", "pk"):
        commitment_uids[c.pk] = str(c.uid)
        commitments[c.agreement_id].append({"id": str(c.uid), **_scalars(c, COMMITMENT_FIELDS)})
    ordered = ex.records(Activity).order_by("kind", "start", "title_en", "uid")
    pks = list(ordered.values_list("pk", flat=True))
    for start in range(0, len(pks), ACTIVITY_CHUNK):
        chunk = pks[start : start + ACTIVITY_CHUNK]
        activities = Activity.objects.in_bulk(chunk)
        places = _m2m(Activity.places.through, "activity", "place", ex.uids[Place], chunk)
        topics = _m2m(Activity.topics.through, "activity", "topic", ex.uids[Topic], chunk)
        participations = _participations(ex, chunk, with_sources)
        links: dict[int, list[dict]] = defaultdict(list)
        for subject, relation, obj, commitment in (
            ActivityLink.objects.filter(subject_id__in=chunk)
            .order_by("relation", "pk")
            .values_list("subject_id", "relation", "object_id", "commitment_id")
        ):
            if ex.ref(Activity, obj):
                links[subject].append(
                    _refs(
                        relation=relation,
                        object=ex.ref(Activity, obj),
                        commitment=commitment_uids.get(commitment),
                    )
                )
        for pk in chunk:
            activity = activities[pk]
            body = {
                "id": str(activity.uid),
                **_scalars(activity, ACTIVITY_FIELDS),
                **_refs(
                    places=places.get(pk),
                    topics=topics.get(pk),
                    participations=participations.get(pk),
                    commitments=commitments.get(pk),
                    links=links.get(pk),
                ),
            }
            yield with_sources(Activity, pk, body)


def _participations(ex: _Exporter, activity_pks: list[int], with_sources) -> dict[int, list]:
    rows = Participation.objects.filter(activity_id__in=activity_pks).order_by("role", "pk")
    if ex.public_only:
        rows = public_participations(rows)
    result: dict[int, list[dict]] = defaultdict(list)
    columns = (
        "pk",
        "activity_id",
        "organization_id",
        "person_id",
        "place_id",
        *PARTICIPATION_FIELDS,
    )
    for values in rows.values_list(*columns):
        row = dict(zip(columns, values, strict=True))
        actor_model = Organization if row["organization_id"] else Person
        actor_pk = row["organization_id"] or row["person_id"]
        actor_id = ex.ref(actor_model, actor_pk)
        if actor_id is None:
            continue  # the actor is not exported (not public)
        body = {
            "actor_id": actor_id,
            "actor_type": actor_model.__name__.lower(),
            "actor_name": ex.names[actor_model][actor_pk],
            **{name: row[name] for name in PARTICIPATION_FIELDS if not _is_empty(row[name])},
            **_refs(place=ex.ref(Place, row["place_id"])),
        }
        result[row["activity_id"]].append(with_sources(Participation, row["pk"], body))
    return result


# ----------------------------------------------------------------------------- import


@dataclass
class ImportSummary:
    """How many records of each section the import created and updated."""

    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def __str__(self) -> str:
        parts = [
            f"{section}: {self.created[section]} created, {self.updated[section]} updated, "
            f"{self.unchanged[section]} unchanged"
            for section in SECTIONS
            if self.created[section] or self.updated[section] or self.unchanged[section]
        ]
        return "; ".join(parts) or "nothing to import"


def _state(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _loaded(objects: Iterable[models.Model]) -> list[models.Model]:
    """Remember what rows looked like when read, so that unchanged rows are not saved again
    (every save writes a history entry)."""
    objects = list(objects)
    for obj in objects:
        obj._import_state = _state(obj)
    return objects


class _Importer:
    def __init__(self, reason: str, owner=None):
        self.reason = reason
        self.owner = owner
        self.status: dict[tuple[str, str], str] = {}
        self.objects: dict[type, dict[str, models.Model]] = defaultdict(dict)
        self.dirty = False  # whether the record being imported changed anything

    # -- helpers

    def label(self, path: str, record: dict, name_field: str) -> str:
        name = record.get(name_field) if isinstance(record, dict) else None
        return f"{path} «{name}»" if name else path

    def expect(self, value: Any, kind: type | tuple, path: str, what: str) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DocumentError(path, f"expected {what}, found {type(value).__name__}")
        return value

    def check_keys(self, record: dict, allowed: Iterable[str], path: str) -> None:
        unknown = sorted(set(record) - set(allowed))
        if unknown:
            raise DocumentError(
                path, f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
            )

    def uid(self, record: dict, path: str) -> str:
        raw = record.get("id")
        if not isinstance(raw, str):
            raise DocumentError(f"{path}.id", "every record needs an id (a UUID)")
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            raise DocumentError(f"{path}.id", f"“{raw}” is not a UUID") from None

    def resolve(self, model: type, ref: Any, path: str) -> models.Model | None:
        if ref is None:
            return None
        if not isinstance(ref, str):
            raise DocumentError(path, "expected the id of a record")
        obj = self.objects[model].get(ref)
        if obj is None:
            obj = model.objects.filter(uid=ref).first() if _is_uuid(ref) else None
            if obj is None:
                raise DocumentError(
                    path,
                    f"no {model._meta.verbose_name} with id {ref} in the document or the database",
                )
            self.objects[model][ref] = obj
        return obj

    def resolve_many(self, model: type, refs: Any, path: str) -> list[models.Model]:
        self.expect(refs if refs is not None else [], list, path, "a list of ids")
        return [self.resolve(model, ref, f"{path}[{i}]") for i, ref in enumerate(refs or [])]

    def assign(self, obj: models.Model, record: dict, names: Iterable[str], path: str) -> None:
        for name in names:
            model_field = obj._meta.get_field(name)
            if name not in record and model_field.has_default():
                setattr(obj, name, model_field.get_default())
            else:
                setattr(obj, name, _to_model_value(model_field, record.get(name), f"{path}.{name}"))

    def save(self, obj: models.Model, path: str, *, exclude: Iterable[str] = ()) -> None:
        if obj.pk is not None and getattr(obj, "_import_state", None) == _state(obj):
            return
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as error:
            raise _from_validation(path, error) from None
        obj._change_reason = self.reason
        obj.save()
        obj._import_state = _state(obj)
        self.dirty = True

    def delete(self, queryset: models.QuerySet) -> None:
        """Delete one by one, so that history records each deletion."""
        for obj in queryset:
            obj._change_reason = self.reason
            obj.delete()
            self.dirty = True

    def sync_m2m(self, manager, objects: list[models.Model]) -> None:
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.dirty = True

    def upsert(
        self, model: type, section: str, record: dict, path: str, existing: dict[str, models.Model]
    ) -> models.Model:
        uid = self.uid(record, path)
        obj = existing.get(uid) or model(uid=uid, owner=self.owner)
        self.objects[model][uid] = obj
        self.dirty = False
        return obj

    def done(self, section: str, obj: models.Model, created: bool) -> None:
        """Classify the record just imported, nested rows included."""
        status = "created" if created else "updated" if self.dirty else "unchanged"
        self.status[(section, str(obj.uid))] = status

    def redone(self, section: str, obj: models.Model) -> None:
        """A later pass (parents, links) changed the record."""
        if self.dirty and self.status[(section, str(obj.uid))] == "unchanged":
            self.status[(section, str(obj.uid))] = "updated"

    def summarize(self) -> ImportSummary:
        summary = ImportSummary()
        for (section, _), status in self.status.items():
            getattr(summary, status)[section] += 1
        return summary

    def records(self, document: dict, section: str) -> list[dict]:
        records = document.get(section, [])
        self.expect(records, list, section, "a list of records")
        for i, record in enumerate(records):
            self.expect(record, dict, f"{section}[{i}]", "an object")
        return records

    def existing(self, model: type, records: list[dict]) -> dict[str, models.Model]:
        uids = [r["id"] for r in records if isinstance(r.get("id"), str) and _is_uuid(r["id"])]
        found = {str(k): v for k, v in model.objects.in_bulk(uids, field_name="uid").items()}
        if model in (Organization, Person):
            found.update(self.same_identifiers(model, records, found))
        if model is Place:
            found.update(self.same_geonames(records, found))
        _loaded(found.values())
        return found

    def same_geonames(self, records: list[dict], found: dict) -> dict:
        """Places unknown by id whose GeoNames id is known: the same city."""
        wanted = {
            record["geonames_id"]: str(uuid.UUID(record["id"]))
            for record in records
            if isinstance(record.get("geonames_id"), int)
            and isinstance(record.get("id"), str)
            and _is_uuid(record["id"])
            and str(uuid.UUID(record["id"])) not in found
        }
        adopted = {}
        for place in Place.objects.filter(geonames_id__in=list(wanted)):
            place.uid = uuid.UUID(wanted[place.geonames_id])
            adopted[wanted[place.geonames_id]] = place
        return adopted

    def same_identifiers(self, model: type, records: list[dict], found: dict) -> dict:
        """Records of the document unknown by id but holding an identifier of a known record
        (a ROR id, an ORCID): the same organization or person, which takes the document's id."""
        wanted: dict[tuple[str, str], str] = {}
        for record in records:
            uid = record.get("id")
            if not isinstance(uid, str) or not _is_uuid(uid) or str(uuid.UUID(uid)) in found:
                continue
            for entry in record.get("identifiers") or []:
                if isinstance(entry, dict) and entry.get("scheme") in (
                    "ror",
                    "orcid",
                    "wikidata",
                    "isni",
                    "grid",
                ):
                    wanted[(entry["scheme"], str(entry.get("value", "")))] = str(uuid.UUID(uid))
        if not wanted:
            return {}
        holder = "organization" if model is Organization else "person"
        matches = Identifier.objects.filter(
            scheme__in={scheme for scheme, _ in wanted},
            value__in={value for _, value in wanted},
            **{f"{holder}__isnull": False},
        ).select_related(holder)
        adopted = {}
        for identifier in matches:
            uid = wanted.get((identifier.scheme, identifier.value))
            if uid and uid not in adopted:
                record = getattr(identifier, holder)
                record.uid = uuid.UUID(uid)
                adopted[uid] = record
        return adopted

    def cite(self, obj: models.Model, record: dict, path: str) -> None:
        wanted = record.get("sources") or []
        self.expect(wanted, list, f"{path}.sources", "a list of citations")
        content_type = ContentType.objects.get_for_model(obj)
        current = {
            (c.source_id, c.quotation): c
            for c in _loaded(Citation.objects.filter(content_type=content_type, object_id=obj.pk))
        }
        keep = set()
        for i, cited in enumerate(wanted):
            where = f"{path}.sources[{i}]"
            self.expect(cited, dict, where, "an object")
            self.check_keys(cited, ("source", "quotation", "locator"), where)
            source = self.resolve(Source, cited.get("source"), f"{where}.source")
            if source is None:
                raise DocumentError(f"{where}.source", "a citation names its source")
            quotation = _text(cited.get("quotation"), f"{where}.quotation")
            citation = current.get((source.pk, quotation)) or Citation(
                source=source, content_type=content_type, object_id=obj.pk, quotation=quotation
            )
            citation.locator = _text(cited.get("locator"), f"{where}.locator")
            self.save(citation, where)
            keep.add(citation.pk)
        self.delete(c for c in current.values() if c.pk not in keep)

    # -- sections

    def sources(self, document: dict) -> None:
        records = self.records(document, "sources")
        existing = self.existing(Source, records)
        for i, record in enumerate(records):
            path = self.label(f"sources[{i}]", record, "title")
            self.check_keys(record, ("id", *SOURCE_FIELDS), path)
            source = self.upsert(Source, "sources", record, path, existing)
            created = source.pk is None
            self.assign(source, record, SOURCE_FIELDS, path)
            self.save(source, path)
            self.done("sources", source, created)

    def places(self, document: dict) -> None:
        records = self.records(document, "places")
        existing = self.existing(Place, records)
        for i, record in enumerate(records):
            path = self.label(f"places[{i}]", record, "name_en")
            self.check_keys(record, ("id", *PLACE_FIELDS, "sources"), path)
            place = self.upsert(Place, "places", record, path, existing)
            created = place.pk is None
            self.assign(place, record, PLACE_FIELDS, path)
            self.save(place, path)
            self.cite(place, record, path)
            self.done("places", place, created)

    def topics(self, document: dict) -> None:
        records = self.records(document, "topics")
        existing = self.existing(Topic, records)
        for i, record in enumerate(records):
            path = self.label(f"topics[{i}]", record, "name_en")
            self.check_keys(record, ("id", *TOPIC_FIELDS, "parent", "sources"), path)
            topic = self.upsert(Topic, "topics", record, path, existing)
            created = topic.pk is None
            self.assign(topic, record, TOPIC_FIELDS, path)
            self.save(topic, path)
            self.cite(topic, record, path)
            self.done("topics", topic, created)
        for i, record in enumerate(records):  # parents, once every topic exists
            topic = self.objects[Topic][self.uid(record, f"topics[{i}]")]
            topic.parent = self.resolve(Topic, record.get("parent"), f"topics[{i}].parent")
            self.dirty = False
            self.save(topic, self.label(f"topics[{i}]", record, "name_en"))
            self.redone("topics", topic)

    def organizations(self, document: dict) -> None:
        records = self.records(document, "organizations")
        existing = self.existing(Organization, records)
        allowed = (
            "id",
            *ORGANIZATION_FIELDS,
            "place",
            "parent",
            "topics",
            "other_names",
            "identifiers",
            "sources",
        )
        for i, record in enumerate(records):
            path = self.label(f"organizations[{i}]", record, "name")
            self.check_keys(record, allowed, path)
            org = self.upsert(Organization, "organizations", record, path, existing)
            created = org.pk is None
            self.assign(org, record, ORGANIZATION_FIELDS, path)
            org.place = self.resolve(Place, record.get("place"), f"{path}.place")
            self.save(org, path)
            self.sync_m2m(
                org.topics, self.resolve_many(Topic, record.get("topics"), f"{path}.topics")
            )
            self.other_names(org, record, path)
            self.identifiers(org, record, path, holder="organization")
            self.cite(org, record, path)
            self.done("organizations", org, created)
        for i, record in enumerate(records):
            org = self.objects[Organization][self.uid(record, f"organizations[{i}]")]
            org.parent = self.resolve(
                Organization, record.get("parent"), f"organizations[{i}].parent"
            )
            self.dirty = False
            self.save(org, self.label(f"organizations[{i}]", record, "name"))
            self.redone("organizations", org)

    def other_names(self, org: Organization, record: dict, path: str) -> None:
        wanted = record.get("other_names") or []
        self.expect(wanted, list, f"{path}.other_names", "a list of names")
        current = {(n.value, n.kind): n for n in _loaded(org.names.all())}
        keep = set()
        for i, entry in enumerate(wanted):
            where = f"{path}.other_names[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, ("value", "kind", "language"), where)
            kind = entry.get("kind", OrganizationName.Kind.ALIAS)
            name = current.get((entry.get("value"), kind)) or OrganizationName(organization=org)
            self.assign(name, {"kind": kind, **entry}, ("value", "kind", "language"), where)
            self.save(name, where, exclude=["organization"])
            keep.add(name.pk)
        self.delete(org.names.exclude(pk__in=keep))

    def identifiers(self, holder_obj: models.Model, record: dict, path: str, holder: str) -> None:
        wanted = record.get("identifiers") or []
        self.expect(wanted, list, f"{path}.identifiers", "a list of identifiers")
        current = {(i.scheme, i.value): i for i in holder_obj.identifiers.all()}
        keep = set()
        for i, entry in enumerate(wanted):
            where = f"{path}.identifiers[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, ("scheme", "value"), where)
            identifier = Identifier(**{holder: holder_obj})
            self.assign(identifier, entry, ("scheme", "value"), where)
            try:
                identifier.full_clean()
            except ValidationError as error:
                known = current.get((identifier.scheme, identifier.value))
                if known is None:
                    raise _from_validation(where, error) from None
                identifier = known
            else:
                identifier._change_reason = self.reason
                identifier.save()
                self.dirty = True
            keep.add(identifier.pk)
        self.delete(holder_obj.identifiers.exclude(pk__in=keep))

    def people(self, document: dict) -> None:
        records = self.records(document, "people")
        existing = self.existing(Person, records)
        allowed = (
            "id",
            *PERSON_FIELDS,
            "place",
            "topics",
            "identifiers",
            "affiliations",
            "sources",
        )
        for i, record in enumerate(records):
            path = self.label(f"people[{i}]", record, "family_name")
            self.check_keys(record, allowed, path)
            person = self.upsert(Person, "people", record, path, existing)
            created = person.pk is None
            self.assign(person, record, PERSON_FIELDS, path)
            person.place = self.resolve(Place, record.get("place"), f"{path}.place")
            self.save(person, path)
            self.sync_m2m(
                person.topics, self.resolve_many(Topic, record.get("topics"), f"{path}.topics")
            )
            self.identifiers(person, record, path, holder="person")
            self.affiliations(person, record, path)
            self.cite(person, record, path)
            self.done("people", person, created)

    def affiliations(self, person: Person, record: dict, path: str) -> None:
        wanted = record.get("affiliations") or []
        self.expect(wanted, list, f"{path}.affiliations", "a list of affiliations")
        current = _loaded(person.affiliations.order_by("start", "pk"))
        keep = set()
        for i, entry in enumerate(wanted):
            where = f"{path}.affiliations[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, ("organization", "position", "start", "end"), where)
            affiliation = current[i] if i < len(current) else Affiliation(person=person)
            affiliation.organization = self.resolve(
                Organization, entry.get("organization"), f"{where}.organization"
            )
            self.assign(affiliation, entry, ("position", "start", "end"), where)
            self.save(affiliation, where)
            keep.add(affiliation.pk)
        self.delete(person.affiliations.exclude(pk__in=keep))

    def activities(self, document: dict) -> None:
        records = self.records(document, "activities")
        existing = self.existing(Activity, records)
        allowed = (
            "id",
            *ACTIVITY_FIELDS,
            "places",
            "topics",
            "participations",
            "commitments",
            "links",
            "sources",
        )
        for i, record in enumerate(records):
            path = self.label(f"activities[{i}]", record, "title_en")
            self.check_keys(record, allowed, path)
            activity = self.upsert(Activity, "activities", record, path, existing)
            created = activity.pk is None
            self.assign(activity, record, ACTIVITY_FIELDS, path)
            self.save(activity, path)
            self.sync_m2m(
                activity.places, self.resolve_many(Place, record.get("places"), f"{path}.places")
            )
            self.sync_m2m(
                activity.topics, self.resolve_many(Topic, record.get("topics"), f"{path}.topics")
            )
            self.participations(activity, record, path)
            self.commitments(activity, record, path)
            self.cite(activity, record, path)
            self.done("activities", activity, created)
        for i, record in enumerate(records):  # links, once every activity exists
            activity = self.objects[Activity][self.uid(record, f"activities[{i}]")]
            self.dirty = False
            self.links(activity, record, self.label(f"activities[{i}]", record, "title_en"))
            self.redone("activities", activity)

    def participations(self, activity: Activity, record: dict, path: str) -> None:
        wanted = record.get("participations") or []
        self.expect(wanted, list, f"{path}.participations", "a list of participations")
        current: dict[tuple, list[Participation]] = defaultdict(list)
        for p in _loaded(activity.participations.all()):
            current[(p.organization_id, p.person_id, p.role, p.start)].append(p)
        keep, roles = set(), []
        allowed = (
            "actor_id",
            "actor_type",
            "actor_name",
            "place",
            *PARTICIPATION_FIELDS,
            "sources",
        )
        for i, entry in enumerate(wanted):
            where = f"{path}.participations[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, allowed, where)
            actor_type = entry.get("actor_type")
            if actor_type not in ("organization", "person"):
                raise DocumentError(
                    f"{where}.actor_type", f"“{actor_type}” is not organization or person"
                )
            model = Organization if actor_type == "organization" else Person
            actor = self.resolve(model, entry.get("actor_id"), f"{where}.actor_id")
            if actor is None:
                raise DocumentError(f"{where}.actor_id", "a participation names its actor")
            key = (
                actor.pk if model is Organization else None,
                actor.pk if model is Person else None,
                entry.get("role"),
                entry.get("start", ""),
            )
            matches = current.get(key)
            participation = matches.pop() if matches else Participation(activity=activity)
            participation.organization = actor if model is Organization else None
            participation.person = actor if model is Person else None
            participation.place = self.resolve(Place, entry.get("place"), f"{where}.place")
            self.assign(participation, entry, PARTICIPATION_FIELDS, where)
            self.save(participation, where)
            self.cite(participation, entry, where)
            keep.add(participation.pk)
            roles.append(participation.role)
        self.delete(activity.participations.exclude(pk__in=keep))
        problem = check_parties(activity, roles)
        if problem:
            raise DocumentError(f"{path}.participations", problem)

    def commitments(self, activity: Activity, record: dict, path: str) -> None:
        wanted = record.get("commitments") or []
        self.expect(wanted, list, f"{path}.commitments", "a list of commitments")
        keep = set()
        for i, entry in enumerate(wanted):
            where = f"{path}.commitments[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, ("id", *COMMITMENT_FIELDS), where)
            uid = self.uid(entry, where)
            commitment = next(
                iter(_loaded(Commitment.objects.filter(uid=uid, agreement=activity))), None
            ) or Commitment(uid=uid, agreement=activity)
            self.assign(commitment, {"position": i, **entry}, COMMITMENT_FIELDS, where)
            self.save(commitment, where)
            self.objects[Commitment][uid] = commitment
            keep.add(commitment.pk)
        self.delete(activity.commitments.exclude(pk__in=keep))

    def links(self, activity: Activity, record: dict, path: str) -> None:
        wanted = record.get("links") or []
        self.expect(wanted, list, f"{path}.links", "a list of links")
        keep = set()
        for i, entry in enumerate(wanted):
            where = f"{path}.links[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, ("relation", "object", "commitment"), where)
            target = self.resolve(Activity, entry.get("object"), f"{where}.object")
            if target is None:
                raise DocumentError(f"{where}.object", "a link names the activity it points to")
            link = next(
                iter(
                    _loaded(
                        ActivityLink.objects.filter(
                            subject=activity, relation=entry.get("relation"), object=target
                        )
                    )
                ),
                None,
            ) or ActivityLink(subject=activity, object=target)
            link.relation = _text(entry.get("relation"), f"{where}.relation")
            link.commitment = self.resolve(
                Commitment, entry.get("commitment"), f"{where}.commitment"
            )
            self.save(link, where)
            keep.add(link.pk)
        self.delete(activity.links_out.exclude(pk__in=keep))


def import_document(document: Any, *, reason: str = "import", owner=None) -> ImportSummary:
    """Create or update every record of an interchange document, all or nothing.

    Records it creates belong to ``owner`` (a user, or nobody for files and
    registries). Raises :class:`DocumentError` naming the record and the field
    at fault; the database is then exactly as it was.
    """
    if not isinstance(document, dict):
        raise DocumentError("document", "expected a JSON object")
    if document.get("format") != FORMAT:
        raise DocumentError("format", f"expected “{FORMAT}”, found {document.get('format')!r}")
    if document.get("version") != VERSION:
        raise DocumentError(
            "version",
            f"this Passerelle reads version {VERSION}, "
            f"the document is version {document.get('version')!r}",
        )
    importer = _Importer(reason, owner)
    with transaction.atomic():
        for section in SECTIONS:
            getattr(importer, section)(document)
    return importer.summarize()


# ----------------------------------------------------------------------------- values


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def _text(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DocumentError(path, f"expected text, found {type(value).__name__}")
    return value


def _to_model_value(model_field: models.Field, value: Any, path: str) -> Any:
    """A JSON value as the model field takes it; absent values become the field's empty value."""
    if isinstance(model_field, models.BooleanField):
        if value is None:
            return False
        if not isinstance(value, bool):
            raise DocumentError(path, f"expected true or false, found {value!r}")
        return value
    if isinstance(model_field, models.DecimalField):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise DocumentError(path, f"expected a number, found {value!r}")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise DocumentError(path, f"“{value}” is not a number") from None
    if isinstance(model_field, models.FloatField):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DocumentError(path, f"expected a number, found {value!r}")
        return float(value)
    if isinstance(model_field, models.IntegerField):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise DocumentError(path, f"expected a whole number, found {value!r}")
        return value
    if getattr(model_field, "multiple", False):  # CountryField(multiple=True)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DocumentError(path, "expected a list of country codes")
        return value
    return _text(value, path)


def _from_validation(path: str, error: ValidationError) -> DocumentError:
    if hasattr(error, "error_dict"):
        field_name, messages = next(iter(error.message_dict.items()))
        where = path if field_name == "__all__" else f"{path}.{field_name}"
        return DocumentError(where, " ".join(messages))
    return DocumentError(path, " ".join(error.messages))
