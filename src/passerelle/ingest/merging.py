"""Duplicates and merging: two records found to be one organization, or one person.

A merge moves everything that pointed at the dropped record (participations,
identifiers, names, sources, affiliations…) onto the kept one, keeps the
dropped record's name as an alias, and writes down exactly what moved in a
:class:`~passerelle.ingest.models.Merge`, so that an undo can put every row back
where it was. Each moved row gets a history entry with the reason.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from passerelle.activities import tallies
from passerelle.activities.models import Participation
from passerelle.core.authoring import may_change
from passerelle.core.models import Citation
from passerelle.core.querysets import holds, reads_every_record
from passerelle.core.users import AnyUser
from passerelle.registry.models import (
    Affiliation,
    Identifier,
    Organization,
    OrganizationName,
    OrganizationRelationship,
    Person,
)

from .models import ExternalRecord, ImportConflict, Merge
from .resolution import normalize, resolver_from_database

#: Rows that point at the merged record, by the key that points: (model, field).
MOVES: dict[type, list[tuple[type[models.Model], str]]] = {
    Organization: [
        (Participation, "organization"),
        (Identifier, "organization"),
        (Affiliation, "organization"),
        (Organization, "parent"),
        (OrganizationRelationship, "organization"),
        (OrganizationRelationship, "target"),
        (ImportConflict, "organization"),
        (ExternalRecord, "organization"),
    ],
    Person: [(Participation, "person"), (Identifier, "person"), (Affiliation, "person")],
}
SNAPSHOT_FIELDS = {
    Organization: [
        "name",
        "name_en",
        "name_fr",
        "acronym",
        "kind",
        "status",
        "place_id",
        "parent_id",
        "in_region",
        "visibility",
        "draft",
        "owner_id",
    ],
    Person: ["given_name", "family_name", "title", "place_id", "visibility", "draft", "owner_id"],
}
REASON = "merge"


class MergeError(Exception):
    pass


def _key(model: type, name: str) -> str:
    return f"{model._meta.label_lower}.{name}"


def _move(model: type, name: str, pks: list[int], target_pk: int | None) -> None:
    rows = list(model.objects.filter(pk__in=pks))
    for row in rows:
        setattr(row, f"{name}_id", target_pk)
    if hasattr(model, "history"):
        bulk_update_with_history(rows, model, [name], default_change_reason=REASON)
    else:
        model.objects.bulk_update(rows, [name])
    if model is Participation:  # bulk_update sends no signal: the tallies follow here
        tallies.retally({row.activity_id for row in rows})


@transaction.atomic
def merge(keep: Organization | Person, drop: Organization | Person, *, user=None) -> Merge:
    """Make ``drop`` part of ``keep``; see the module docstring."""
    model = type(keep)
    if type(drop) is not model or model not in MOVES:
        raise MergeError("Merge two organizations or two people.")
    if keep.pk == drop.pk:
        raise MergeError("A record cannot be merged with itself.")
    if user is not None and not (may_change(user, keep) and may_change(user, drop, "delete")):
        # a merge changes the kept record and deletes the other: both rights, on both
        raise MergeError(_("You may merge only records you may change, into one you may change."))
    moved: dict[str, list] = {}
    if model is Organization and ExternalRecord.objects.filter(organization=keep).exists():
        ExternalRecord.objects.filter(organization=drop).delete()  # keep's registry record wins
    for row_model, name in MOVES[model]:
        pks = list(row_model.objects.filter(**{name: drop}).values_list("pk", flat=True))
        if row_model is Organization and name == "parent":
            pks = [pk for pk in pks if pk != keep.pk]
        if pks:
            _move(row_model, name, pks, keep.pk)
            moved[_key(row_model, name)] = pks
    content_type = ContentType.objects.get_for_model(model)
    citations = list(
        Citation.objects.filter(content_type=content_type, object_id=drop.pk).values_list(
            "pk", flat=True
        )
    )
    Citation.objects.filter(pk__in=citations).update(object_id=keep.pk)
    moved["citations"] = citations
    added_topics = list(drop.topics.exclude(pk__in=keep.topics.all()).values_list("pk", flat=True))
    keep.topics.add(*added_topics)
    moved["topics_added"] = added_topics
    if model is Organization:
        moved.update(_merge_names(keep, drop))
    snapshot = {name: getattr(drop, name) for name in SNAPSHOT_FIELDS[model]}
    snapshot["uid"] = str(drop.uid)
    snapshot["topics"] = list(drop.topics.values_list("pk", flat=True))
    record = Merge.objects.create(
        kind=Merge.Kind.ORGANIZATION if model is Organization else Merge.Kind.PERSON,
        kept_organization=keep if model is Organization else None,
        kept_person=keep if model is Person else None,
        dropped_name=str(drop)[:300],
        dropped=snapshot,
        moved=moved,
        merged_by=user,
    )
    drop._change_reason = f"merged into {keep} ({keep.uid})"
    drop.delete()
    return record


def _merge_names(keep: Organization, drop: Organization) -> dict[str, list]:
    """The dropped organization's names become the kept one's other names."""
    existing = {(n.value, n.kind) for n in keep.names.all()} | {
        (keep.name, "alias"),
        (keep.name_en, "label"),
        (keep.name_fr, "label"),
    }
    moved, deleted = [], []
    for name in drop.names.all():
        if (name.value, name.kind) in existing:
            deleted.append([name.value, name.kind, name.language])
            name.delete()
        else:
            existing.add((name.value, name.kind))
            moved.append(name.pk)
    OrganizationName.objects.filter(pk__in=moved).update(organization=keep)
    created = []
    for value, kind in (
        (drop.name, "alias"),
        (drop.name_en, "label"),
        (drop.name_fr, "label"),
        (drop.acronym, "acronym"),
    ):
        if value and (value, kind) not in existing and value != keep.name:
            existing.add((value, kind))
            created.append(
                OrganizationName.objects.create(organization=keep, value=value, kind=kind).pk
            )
    return {"names_moved": moved, "names_deleted": deleted, "names_created": created}


def may_undo(user: AnyUser, record: Merge) -> bool:
    """Undoing changes the kept record and brings the other back: the right to change the
    first, to add the second, and to read it (a confidential one: its owner, whoever
    merged it, or whoever reads every record)."""
    model = Organization if record.kind == Merge.Kind.ORGANIZATION else Person
    keep = record.kept_organization or record.kept_person
    if not (may_change(user, keep) and holds(user, model, "add")):
        return False
    dropped = record.dropped or {}
    return (
        dropped.get("visibility") != "confidential"
        or reads_every_record(user)
        or user.pk in (record.merged_by_id, dropped.get("owner_id"))
    )


@transaction.atomic
def undo(record: Merge, *, user=None) -> Organization | Person:
    """Bring the merged record back, with every row the merge moved."""
    if record.undone:
        raise MergeError("This merge was already undone.")
    model = Organization if record.kind == Merge.Kind.ORGANIZATION else Person
    keep = record.kept_organization or record.kept_person
    if keep is None:
        raise MergeError("The kept record has been deleted since: nothing to undo onto.")
    if user is not None and not may_undo(user, record):
        raise MergeError(_("You may not undo this merge: it changes records you may not change."))
    snapshot = dict(record.dropped)
    topics = snapshot.pop("topics", [])
    snapshot["uid"] = uuid.UUID(snapshot["uid"])
    restored = model(**snapshot)
    restored._change_reason = "merge undone"
    restored.save()
    restored.topics.set(topics)
    for row_model, name in MOVES[model]:
        pks = record.moved.get(_key(row_model, name), [])
        if pks:
            _move(row_model, name, pks, restored.pk)
    content_type = ContentType.objects.get_for_model(model)
    Citation.objects.filter(
        pk__in=record.moved.get("citations", []), content_type=content_type
    ).update(object_id=restored.pk)
    keep.topics.remove(*record.moved.get("topics_added", []))
    if model is Organization:
        OrganizationName.objects.filter(pk__in=record.moved.get("names_moved", [])).update(
            organization=restored
        )
        OrganizationName.objects.filter(pk__in=record.moved.get("names_created", [])).delete()
        OrganizationName.objects.bulk_create(
            [
                OrganizationName(organization=restored, value=v, kind=k, language=lang)
                for v, k, lang in record.moved.get("names_deleted", [])
            ]
        )
    record.undone = timezone.now()
    record.save(update_fields=["undone"])
    return restored


# -- finding likely duplicates


@dataclass
class LikelyDuplicate:
    first: Organization | Person
    second: Organization | Person
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def choices(self) -> list[tuple]:
        """(kept, dropped), both ways round: staff choose which record stays."""
        return [(self.second, self.first), (self.first, self.second)]


def likely_duplicate_organizations(
    limit: int = 100, threshold: float = 90.0
) -> list[LikelyDuplicate]:
    """Organizations no registry vouches for (no ROR id) that resolve to another record."""
    unvouched = list(
        Organization.objects.exclude(identifiers__scheme="ror")
        .select_related("place")
        .order_by("-updated")[:2000]
    )
    if not unvouched:
        return []
    resolver = resolver_from_database()
    found: dict[frozenset, LikelyDuplicate] = {}
    uids = {}
    for org in unvouched:
        city = org.place.name_en if org.place else ""
        country = org.place.country.code if org.place else ""
        for candidate in resolver.resolve(org.name, city=city, country=country, limit=3):
            if candidate.key == org.uid or candidate.score < threshold:
                continue
            pair = frozenset((org.uid, candidate.key))
            if pair not in found:
                uids[candidate.key] = None
                found[pair] = LikelyDuplicate(
                    org, candidate.key, candidate.score, candidate.reasons
                )
    others = Organization.objects.in_bulk(list(uids), field_name="uid")
    pairs = []
    for duplicate in found.values():
        duplicate.second = others.get(duplicate.second)
        if duplicate.second is not None:
            pairs.append(duplicate)
    pairs.sort(key=lambda d: -d.score)
    return pairs[:limit]


def likely_duplicate_people(limit: int = 100) -> list[LikelyDuplicate]:
    """People with the same family name whose given names agree (an initial matches a name)."""
    groups: dict[str, list[Person]] = defaultdict(list)
    for person in Person.objects.select_related("place").order_by("pk"):
        groups[normalize(person.family_name)].append(person)
    pairs = []
    for people in groups.values():
        if len(people) < 2 or len(people) > 50:
            continue
        for i, first in enumerate(people):
            for second in people[i + 1 :]:
                reasons = _same_person(first, second)
                if reasons is not None:
                    pairs.append(LikelyDuplicate(first, second, 90.0, reasons))
                    if len(pairs) >= limit:
                        return pairs
    return pairs


def _same_person(first: Person, second: Person) -> list[str] | None:
    a, b = (
        normalize(first.given_name).replace(" ", ""),
        normalize(second.given_name).replace(" ", ""),
    )
    if a and b and not (a == b or (min(len(a), len(b)) == 1 and a[0] == b[0])):
        return None
    if first.place_id and second.place_id and first.place_id != second.place_id:
        return None
    reasons = ["same family name", "same given name" if a == b else "given names agree"]
    if first.place_id and first.place_id == second.place_id:
        reasons.append("same place")
    return reasons
