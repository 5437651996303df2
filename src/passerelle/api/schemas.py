"""What the API returns: the records in the interchange document's shape (docs/interchange.md).

References between records are their stable ids, as in the document, so that
what the API gives can be imported as it is.
"""

from datetime import datetime
from uuid import UUID

from ninja import Schema


def _uid(related) -> UUID | None:
    return related.uid if related is not None else None


class Page(Schema):
    count: int


class SourceOut(Schema):
    id: UUID
    title: str
    url: str
    document: str
    publisher: str
    published: str
    accessed: str
    visibility: str
    draft: bool
    updated: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.uid


class PlaceOut(Schema):
    id: UUID
    name_en: str
    name_fr: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    visibility: str
    draft: bool
    updated: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.uid

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code


class TopicOut(Schema):
    id: UUID
    slug: str
    name_en: str
    name_fr: str
    kind: str
    parent: UUID | None
    mesh_id: str
    ncit_id: str
    visibility: str
    draft: bool
    updated: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.uid

    @staticmethod
    def resolve_parent(obj) -> UUID | None:
        return _uid(obj.parent)


class Name(Schema):
    value: str
    kind: str
    language: str


class IdentifierOut(Schema):
    scheme: str
    value: str


class OrganizationOut(Schema):
    id: UUID
    name: str
    name_en: str
    name_fr: str
    acronym: str
    kind: str
    status: str
    in_region: bool
    place: UUID | None
    parent: UUID | None
    topics: list[UUID]
    other_names: list[Name]
    identifiers: list[IdentifierOut]
    visibility: str
    draft: bool
    updated: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.uid

    @staticmethod
    def resolve_place(obj) -> UUID | None:
        return _uid(obj.place)

    @staticmethod
    def resolve_parent(obj) -> UUID | None:
        return _uid(obj.parent)

    @staticmethod
    def resolve_topics(obj) -> list[UUID]:
        return [t.uid for t in obj.topics.all()]

    @staticmethod
    def resolve_other_names(obj) -> list[dict]:
        return [{"value": n.value, "kind": n.kind, "language": n.language} for n in obj.names.all()]

    @staticmethod
    def resolve_identifiers(obj) -> list[dict]:
        return [{"scheme": i.scheme, "value": i.value} for i in obj.identifiers.all()]


class AffiliationOut(Schema):
    organization: UUID
    position: str
    start: str
    end: str


class PersonOut(Schema):
    id: UUID
    title: str
    given_name: str
    family_name: str
    place: UUID | None
    topics: list[UUID]
    identifiers: list[IdentifierOut]
    affiliations: list[AffiliationOut]
    visibility: str
    draft: bool
    updated: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.uid

    @staticmethod
    def resolve_place(obj) -> UUID | None:
        return _uid(obj.place)

    @staticmethod
    def resolve_topics(obj) -> list[UUID]:
        return [t.uid for t in obj.topics.all()]

    @staticmethod
    def resolve_identifiers(obj) -> list[dict]:
        return [{"scheme": i.scheme, "value": i.value} for i in obj.identifiers.all()]

    @staticmethod
    def resolve_affiliations(obj) -> list[dict]:
        return [
            {
                "organization": a.organization.uid,
                "position": a.position,
                "start": a.start,
                "end": a.end,
            }
            for a in obj.affiliations.all()
        ]


class ParticipationOut(Schema):
    actor_id: UUID
    actor_type: str
    actor_name: str
    role: str
    start: str
    end: str
    place: UUID | None
    visibility: str


class ActivityOut(Schema):
    id: UUID
    kind: str
    category: str
    title_en: str
    title_fr: str
    acronym: str
    summary_en: str
    summary_fr: str
    start: str
    end: str
    places: list[UUID]
    topics: list[UUID]
    status: str
    signed_on: str
    edition: int | None
    venue: str
    alternating: bool
    direction: str
    delegation_country: str
    exchange_category: str
    participations: list[ParticipationOut]
    visibility: str
    draft: bool
    updated: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.uid

    @staticmethod
    def resolve_places(obj) -> list[UUID]:
        return [p.uid for p in obj.places.all()]

    @staticmethod
    def resolve_topics(obj) -> list[UUID]:
        return [t.uid for t in obj.topics.all()]

    @staticmethod
    def resolve_delegation_country(obj) -> str:
        return obj.delegation_country.code if obj.delegation_country else ""

    @staticmethod
    def resolve_participations(obj) -> list[dict]:
        # the view prefetched only the participations the reader may see
        return [
            {
                "actor_id": p.actor.uid,
                "actor_type": "organization" if p.organization_id else "person",
                "actor_name": str(p.actor),
                "role": p.role,
                "start": p.start,
                "end": p.end,
                "place": _uid(p.place),
                "visibility": p.visibility,
            }
            for p in obj.visible_participations
        ]


class Change(Schema):
    field: str
    old: str
    new: str


class HistoryOut(Schema):
    date: datetime
    user: str
    change: str  # created, changed or deleted
    changes: list[Change]
