"""Rows as the importer read them, so that an unchanged row is not saved again (every save
writes a history entry). Shared by the importer and its part readers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models


def _state(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _loaded(objects: Iterable[models.Model]) -> list[models.Model]:
    """Remember what rows looked like when read, so that unchanged rows are not saved again
    (every save writes a history entry)."""
    objects = list(objects)
    for obj in objects:
        obj._import_state = _state(obj)
    return objects
