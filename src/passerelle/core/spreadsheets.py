"""The spreadsheet resources of each kind of record, registered by the layer that owns them.

The back office of ``registry`` and ``activities`` imports and exports their records as CSV
and XLSX, but the resources that read and check those sheets (resolution of places, topics
by slug, identifiers) belong to ``ingest``, a layer above. So the admins do not import
them: ``ingest`` registers its resources here when it starts (``IngestConfig.ready()``) and
the admins look them up by model, as NetBox's apps register their search indexes.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models

#: The resources of each model, by the model's label ("registry.Organization").
_resources: dict[str, list[type]] = {}


def register_sheet(resource: type) -> type:
    """Offer this django-import-export resource for its model's spreadsheets (a decorator
    too). Registering the same resource twice keeps one."""
    label = resource._meta.model._meta.label
    known = _resources.setdefault(label, [])
    if resource not in known:
        known.append(resource)
    return resource


def sheets_for(model: type[models.Model]) -> list[type]:
    """The resources registered for this model, in the order they were registered.

    None is a misconfiguration, not a reason to fall back on a generic resource that would
    write rows unchecked."""
    found = _resources.get(model._meta.label)
    if not found:
        raise ImproperlyConfigured(
            f"no spreadsheet resource is registered for {model._meta.label}: "
            "passerelle.ingest registers them (is it in INSTALLED_APPS?)"
        )
    return list(found)
