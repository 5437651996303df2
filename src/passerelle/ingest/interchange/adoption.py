"""A file from another database: records unknown here by id that are records known here.

``passerelle import`` of a document written elsewhere meets organizations the
ROR import already created, under other ids: the same ROR id (or ORCID, or
GeoNames id) says they are the same, and the known record takes the
document's id. The API never adopts (``import_document(adopt=False)``): a
create there must never take over an existing record.
"""

from __future__ import annotations

import uuid

from passerelle.registry.models import Identifier, Organization

from .format import SAME_BY_IDENTIFIER, as_uuid


def same_geonames(model: type, records: list[dict], found: dict) -> dict:
    """Places unknown by id whose GeoNames id is known: the same city."""
    wanted = {
        record["geonames_id"]: as_uuid(record.get("id"))
        for record in records
        if isinstance(record.get("geonames_id"), int)
        and as_uuid(record.get("id")) not in (None, *found)
    }
    adopted = {}
    for place in model.objects.filter(geonames_id__in=list(wanted)):
        place.uid = uuid.UUID(wanted[place.geonames_id])
        adopted[wanted[place.geonames_id]] = place
    return adopted


def same_identifiers(model: type, records: list[dict], found: dict) -> dict:
    """Records of the document unknown by id but holding an identifier of a known record
    (a ROR id, an ORCID): the same organization or person, which takes the document's id."""
    wanted: dict[tuple[str, str], str] = {}
    for record in records:
        uid = as_uuid(record.get("id"))
        identifiers = record.get("identifiers")
        if uid is None or uid in found or not isinstance(identifiers, list):
            continue
        for entry in identifiers:
            if isinstance(entry, dict) and entry.get("scheme") in SAME_BY_IDENTIFIER:
                wanted[(entry["scheme"], str(entry.get("value", "")))] = uid
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
