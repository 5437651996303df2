"""Reading an interchange document into the database: every section by the same steps.

The importer follows the table of :mod:`.format`: for each record of a
section it checks the keys, finds the record by id (or, for a file from
another database, by a ROR id or a GeoNames id), assigns the fields, resolves
the references, and makes its parts say what the document says. Given a
``reader`` (the API's user), it resolves only references that user may read,
and keeps what hangs off the record but is hidden from them: a write can
never change what its writer could not see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from passerelle.activities.models import (
    ActivityLink,
    Commitment,
    Participation,
    check_parties,
)
from passerelle.core.models import Citation, Source
from passerelle.core.visibility import participations_visible_to, visible_to
from passerelle.registry.models import Identifier, Organization, Person

from .adoption import same_geonames, same_identifiers
from .delegation_parts import DelegationParts
from .format import (
    FORMAT,
    HEADER,
    PARTS,
    SECTIONS,
    VERSION,
    DocumentError,
    Part,
    Reference,
    Section,
    TakenError,
    as_uuid,
    from_validation,
    shown,
    text,
    to_model_value,
)
from .rows import _loaded, _state


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
            f"{key}: {self.created[key]} created, {self.updated[key]} updated, "
            f"{self.unchanged[key]} unchanged"
            for key in (section.key for section in SECTIONS)
            if self.created[key] or self.updated[key] or self.unchanged[key]
        ]
        return "; ".join(parts) or "nothing to import"


def _has_visibility(model: type[models.Model]) -> bool:
    return any(f.name == "visibility" for f in model._meta.concrete_fields)


class Importer(DelegationParts):
    """One import: what it has seen by id, and how each record it touched came out."""

    def __init__(self, reason: str, owner=None, *, reader=None, adopt: bool = True):
        self.reason = reason
        self.owner = owner
        self.reader = reader
        self.adopt = adopt
        self.status: dict[tuple[str, str], str] = {}
        self.objects: dict[type, dict[str, models.Model]] = defaultdict(dict)
        self.dirty = False  # whether the record being imported changed anything

    # -- reading the document

    def label(self, path: str, record: Any, name_field: str) -> str:
        name = record.get(name_field) if isinstance(record, dict) else None
        return f"{path} «{shown(name)}»" if isinstance(name, str) and name else path

    def expect(self, value: Any, kind: type | tuple, path: str, what: str) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DocumentError(path, f"expected {what}, found {type(value).__name__}")
        return value

    def check_keys(self, record: dict, allowed: Iterable[str], path: str) -> None:
        unknown = sorted(set(record) - set(allowed))
        if unknown:
            names = ", ".join(shown(name) for name in unknown[:10])
            raise DocumentError(path, f"unknown field{'s' if len(unknown) > 1 else ''} {names}")

    def records(self, document: dict, key: str) -> list[dict]:
        records = document.get(key, [])
        self.expect(records, list, key, "a list of records")
        for i, record in enumerate(records):
            self.expect(record, dict, f"{key}[{i}]", "an object")
        return records

    def entries(self, record: dict, part: Part, path: str) -> Iterator[tuple[str, dict]]:
        """The rows of one part of a record, each checked to be an object of known keys."""
        wanted = record.get(part.key) or []
        self.expect(wanted, list, f"{path}.{part.key}", f"a list of {part.key.replace('_', ' ')}")
        for i, entry in enumerate(wanted):
            where = f"{path}.{part.key}[{i}]"
            self.expect(entry, dict, where, "an object")
            self.check_keys(entry, part.allowed, where)
            yield where, entry

    def uid(self, record: dict, path: str) -> str:
        raw = record.get("id")
        if not isinstance(raw, str):
            raise DocumentError(f"{path}.id", "every record needs an id (a UUID)")
        uid = as_uuid(raw)
        if uid is None:
            raise DocumentError(f"{path}.id", f"“{shown(raw)}” is not a UUID")
        return uid

    # -- what the reader may see

    def readable(self, model: type[models.Model]) -> models.QuerySet:
        records = model._default_manager.all()
        if self.reader is None or not _has_visibility(model):
            return records
        return visible_to(records, self.reader)

    def hidden(self, model: type[models.Model], pks: Iterable[int]) -> set[int]:
        """Which of these records the reader may not read (none for a file's import)."""
        pks = {pk for pk in pks if pk}
        if self.reader is None or not pks or not _has_visibility(model):
            return set()
        return pks - set(self.readable(model).filter(pk__in=pks).values_list("pk", flat=True))

    def resolve(self, model: type, ref: Any, path: str) -> models.Model | None:
        if ref is None:
            return None
        if not isinstance(ref, str):
            raise DocumentError(path, f"expected the id of a record, found {shown(ref)}")
        obj = self.objects[model].get(ref)
        if obj is None:
            uid = as_uuid(ref)
            obj = self.readable(model).filter(uid=uid).first() if uid else None
            if obj is None:  # or one the reader may not read: the same words, no oracle
                raise DocumentError(
                    path,
                    f"no {model._meta.verbose_name} with id {shown(ref)} "
                    "in the document or the database",
                )
            self.objects[model][ref] = obj
        return obj

    def resolve_many(self, model: type, refs: Any, path: str) -> list[models.Model]:
        self.expect(refs if refs is not None else [], list, path, "a list of ids")
        found = []
        for i, ref in enumerate(refs or []):
            if ref is None:
                raise DocumentError(f"{path}[{i}]", "expected the id of a record, found null")
            found.append(self.resolve(model, ref, f"{path}[{i}]"))
        return found

    def refer(self, obj: models.Model, record: dict, path: str, refs: Iterable[Reference]) -> None:
        """Set single references; one the reader cannot see stays when the record names none."""
        for reference in refs:
            target = self.resolve(
                reference.model, record.get(reference.key), f"{path}.{reference.key}"
            )
            current = getattr(obj, f"{reference.key}_id")
            if target is None and current in self.hidden(reference.model, [current]):
                continue
            setattr(obj, reference.key, target)

    # -- writing

    def assign(self, obj: models.Model, record: dict, names: Iterable[str], path: str) -> None:
        for name in names:
            model_field = obj._meta.get_field(name)
            if name not in record and model_field.has_default():
                setattr(obj, name, model_field.get_default())
            else:
                setattr(obj, name, to_model_value(model_field, record.get(name), f"{path}.{name}"))

    def save(self, obj: models.Model, path: str, *, exclude: Iterable[str] = ()) -> None:
        if obj.pk is not None and getattr(obj, "_import_state", None) == _state(obj):
            return
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as error:
            raise from_validation(path, error) from None
        obj._change_reason = self.reason
        obj.save()
        obj._import_state = _state(obj)
        self.dirty = True

    def delete(self, queryset: Iterable[models.Model]) -> None:
        """Delete one by one, so that history records each deletion."""
        for obj in queryset:
            obj._change_reason = self.reason
            obj.delete()
            self.dirty = True

    def sync_m2m(self, manager, model: type, objects: list[models.Model]) -> None:
        wanted = {obj.pk for obj in objects}
        current = set(manager.values_list("pk", flat=True))
        wanted |= self.hidden(model, current - wanted)
        if current != wanted:
            manager.set(list(wanted))
            self.dirty = True

    # -- one section

    def existing(self, section: Section, records: list[dict]) -> dict[str, models.Model]:
        uids = [uid for uid in (as_uuid(r.get("id")) for r in records) if uid]
        model = section.model
        found = {str(k): v for k, v in model.objects.in_bulk(uids, field_name="uid").items()}
        if self.adopt and section.same_as == "identifiers":
            found.update(same_identifiers(model, records, found))
        if self.adopt and section.same_as == "geonames_id":
            found.update(same_geonames(model, records, found))
        _loaded(found.values())
        return found

    def section(self, section: Section, records: list[dict]) -> None:
        existing = self.existing(section, records)
        first = [r for r in section.references if not r.many and not r.late]
        many = [r for r in section.references if r.many]
        for i, record in enumerate(records):
            path = self.label(f"{section.key}[{i}]", record, section.name_field)
            self.check_keys(record, section.allowed, path)
            uid = self.uid(record, path)
            obj = existing.get(uid) or section.model(uid=uid, owner=self.owner)
            self.objects[section.model][uid] = obj
            self.dirty = False
            created = obj.pk is None
            self.assign(obj, record, section.fields, path)
            self.refer(obj, record, path, first)
            self.save(obj, path)
            for reference in many:
                self.sync_m2m(
                    getattr(obj, reference.key),
                    reference.model,
                    self.resolve_many(
                        reference.model, record.get(reference.key), f"{path}.{reference.key}"
                    ),
                )
            for name in section.parts:
                if not PARTS[name].late:
                    getattr(self, name)(PARTS[name], obj, record, path)
            if section.model is not Source:
                self.cite(obj, record, path)
            self.status[(section.key, uid)] = "created" if created else self.outcome()
        if section.second_pass:
            late = [r for r in section.references if r.late]
            for i, record in enumerate(records):  # once every record of the section exists
                path = self.label(f"{section.key}[{i}]", record, section.name_field)
                uid = self.uid(record, path)
                obj = self.objects[section.model][uid]
                self.dirty = False
                if late:
                    self.refer(obj, record, path, late)
                    self.save(obj, path)
                for name in section.parts:
                    if PARTS[name].late:
                        getattr(self, name)(PARTS[name], obj, record, path)
                if self.dirty and self.status[(section.key, uid)] == "unchanged":
                    self.status[(section.key, uid)] = "updated"

    def outcome(self) -> str:
        return "updated" if self.dirty else "unchanged"

    def summarize(self) -> ImportSummary:
        summary = ImportSummary()
        for (key, _), status in self.status.items():
            getattr(summary, status)[key] += 1
        return summary

    # -- the parts of a record

    def cite(self, obj: models.Model, record: dict, path: str) -> None:
        citations = Part("sources", Citation, "", (), keys=("source", "quotation", "locator"))
        content_type = ContentType.objects.get_for_model(obj)
        current = _loaded(Citation.objects.filter(content_type=content_type, object_id=obj.pk))
        hidden = self.hidden(Source, {c.source_id for c in current})
        by_key = {(c.source_id, c.quotation): c for c in current if c.source_id not in hidden}
        keep = set()
        for where, cited in self.entries(record, citations, path):
            source = self.resolve(Source, cited.get("source"), f"{where}.source")
            if source is None:
                raise DocumentError(f"{where}.source", "a citation names its source")
            quotation = text(cited.get("quotation"), f"{where}.quotation")
            citation = by_key.get((source.pk, quotation)) or Citation(
                source=source, content_type=content_type, object_id=obj.pk, quotation=quotation
            )
            citation.locator = text(cited.get("locator"), f"{where}.locator")
            self.save(citation, where)
            keep.add(citation.pk)
        self.delete(c for c in by_key.values() if c.pk not in keep)

    def other_names(self, part: Part, org: Organization, record: dict, path: str) -> None:
        current = {(n.value, n.kind): n for n in _loaded(org.names.all())}
        keep = set()
        for where, entry in self.entries(record, part, path):
            kind = entry.get("kind", part.model.Kind.ALIAS)
            name = current.get((entry.get("value"), kind)) or part.model(organization=org)
            self.assign(name, {"kind": kind, **entry}, part.fields, where)
            self.save(name, where, exclude=["organization"])
            keep.add(name.pk)
        self.delete(org.names.exclude(pk__in=keep))

    def identifiers(self, part: Part, holder: models.Model, record: dict, path: str) -> None:
        owner = holder._meta.model_name
        current = {(i.scheme, i.value): i for i in holder.identifiers.all()}
        keep = set()
        for where, entry in self.entries(record, part, path):
            identifier = Identifier(**{owner: holder})
            self.assign(identifier, entry, part.fields, where)
            try:
                identifier.full_clean()
            except ValidationError as error:
                known = current.get((identifier.scheme, identifier.value))
                if known is None:
                    taken = (
                        Identifier.objects.filter(scheme=identifier.scheme, value=identifier.value)
                        .select_related("organization", "person")
                        .first()
                    )
                    if taken is not None:
                        raise self.taken(taken, from_validation(where, error)) from None
                    raise from_validation(where, error) from None
                identifier = known
            else:
                identifier._change_reason = self.reason
                identifier.save()
                self.dirty = True
            keep.add(identifier.pk)
        self.delete(holder.identifiers.exclude(pk__in=keep))

    def taken(self, identifier: Identifier, problem: DocumentError) -> TakenError:
        """An identifier another record holds: named if the reader may read that record,
        else said with nothing of it (an existence is all a uniqueness rule must tell)."""
        holder = identifier.organization or identifier.person
        if not self.hidden(type(holder), {holder.pk}):
            return TakenError(problem.path, problem.message)
        return TakenError(
            problem.path,
            f"another record holds the {identifier.scheme} id {shown(identifier.value)}",
        )

    def affiliations(self, part: Part, person: Person, record: dict, path: str) -> None:
        rows = _loaded(person.affiliations.order_by("start", "pk"))
        hidden = self.hidden(Organization, {a.organization_id for a in rows})
        current = [a for a in rows if a.organization_id not in hidden]
        keep = {a.pk for a in rows if a.organization_id in hidden}
        for i, (where, entry) in enumerate(self.entries(record, part, path)):
            affiliation = current[i] if i < len(current) else part.model(person=person)
            organization = self.resolve(
                Organization, entry.get("organization"), f"{where}.organization"
            )
            affiliation.organization = organization
            self.assign(affiliation, entry, part.fields, where)
            self.save(affiliation, where)
            keep.add(affiliation.pk)
        self.delete(person.affiliations.exclude(pk__in=keep))

    def participations(self, part: Part, activity, record: dict, path: str) -> None:
        rows = _loaded(activity.participations.all())
        shown_pks = {p.pk for p in rows}
        if self.reader is not None:
            shown_pks = set(
                participations_visible_to(activity.participations.all(), self.reader).values_list(
                    "pk", flat=True
                )
            )
        current: dict[tuple, list[Participation]] = defaultdict(list)
        for p in rows:
            if p.pk in shown_pks:
                current[(p.organization_id, p.person_id, p.role, p.start)].append(p)
        hidden = [p for p in rows if p.pk not in shown_pks]
        keep, roles = {p.pk for p in hidden}, [p.role for p in hidden]
        for where, entry in self.entries(record, part, path):
            actor_type = entry.get("actor_type")
            if actor_type not in ("organization", "person"):
                raise DocumentError(
                    f"{where}.actor_type", f"“{shown(actor_type)}” is not organization or person"
                )
            model = Organization if actor_type == "organization" else Person
            actor = self.resolve(model, entry.get("actor_id"), f"{where}.actor_id")
            if actor is None:
                raise DocumentError(f"{where}.actor_id", "a participation names its actor")
            organization, person = (actor, None) if model is Organization else (None, actor)
            key = (
                organization and organization.pk,
                person and person.pk,
                entry.get("role"),
                entry.get("start", ""),
            )
            matches = current.get(key)
            participation = matches.pop() if matches else Participation(activity=activity)
            participation.organization, participation.person = organization, person
            self.refer(participation, entry, where, part.references)
            self.assign(participation, entry, part.fields, where)
            self.save(participation, where)
            self.cite(participation, entry, where)
            keep.add(participation.pk)
            roles.append(participation.role)
        self.delete(activity.participations.exclude(pk__in=keep))
        problem = check_parties(activity, roles)
        if problem:
            raise DocumentError(f"{path}.participations", problem)

    def commitments(self, part: Part, activity, record: dict, path: str) -> None:
        keep = set()
        for i, (where, entry) in enumerate(self.entries(record, part, path)):
            uid = self.uid(entry, where)
            commitment = next(
                iter(_loaded(Commitment.objects.filter(uid=uid, agreement=activity))), None
            ) or Commitment(uid=uid, agreement=activity)
            self.assign(commitment, {"position": i, **entry}, part.fields, where)
            self.save(commitment, where)
            self.objects[Commitment][uid] = commitment
            keep.add(commitment.pk)
        self.delete(activity.commitments.exclude(pk__in=keep))

    def links(self, part: Part, activity, record: dict, path: str) -> None:
        rows = list(activity.links_out.all())
        hidden = self.hidden(type(activity), {link.object_id for link in rows})
        keep = {link.pk for link in rows if link.object_id in hidden}
        for where, entry in self.entries(record, part, path):
            target = self.resolve(type(activity), entry.get("object"), f"{where}.object")
            if target is None:
                raise DocumentError(f"{where}.object", "a link names the activity it points to")
            relation = text(entry.get("relation"), f"{where}.relation")
            link = next(
                iter(
                    _loaded(
                        ActivityLink.objects.filter(
                            subject=activity, relation=relation, object=target
                        )
                    )
                ),
                None,
            ) or ActivityLink(subject=activity, object=target)
            link.relation = relation
            link.commitment = self.resolve(
                Commitment, entry.get("commitment"), f"{where}.commitment"
            )
            self.save(link, where)
            keep.add(link.pk)
        self.delete(activity.links_out.exclude(pk__in=keep))


def check_header(document: Any) -> None:
    """The document is an object of this format and version, with no section unknown here."""
    if not isinstance(document, dict):
        raise DocumentError("document", "expected a JSON object")
    if document.get("format") != FORMAT:
        raise DocumentError("format", f"expected “{FORMAT}”, found {shown(document.get('format'))}")
    if document.get("version") != VERSION:
        raise DocumentError(
            "version",
            f"this Passerelle reads version {VERSION}, "
            f"the document is version {shown(document.get('version'))}",
        )
    unknown = sorted(set(document) - set(HEADER) - {s.key for s in SECTIONS})
    if unknown:
        raise DocumentError(
            "document",
            f"unknown section{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(shown(key) for key in unknown[:10])}; the sections are "
            + ", ".join(s.key for s in SECTIONS),
        )


def import_document(
    document: Any, *, reason: str = "import", owner=None, reader=None, adopt: bool = True
) -> ImportSummary:
    """Create or update every record of an interchange document, all or nothing.

    Records it creates belong to ``owner`` (a user, or nobody for files and
    registries). ``reader``: resolve references as that user may read them
    (the API). ``adopt``: a record unknown by id but holding the ROR id or the
    GeoNames id of a known one is that record (a file from another database);
    the API never adopts. Raises :class:`DocumentError` naming the record and the
    field at fault; the database is then exactly as it was.
    """
    check_header(document)
    importer = Importer(reason, owner, reader=reader, adopt=adopt)
    with transaction.atomic():
        for section in SECTIONS:
            records = importer.records(document, section.key)
            if records:
                importer.section(section, records)
    return importer.summarize()
