"""Importing a delegation's agenda and follow-up actions (the ``agenda`` and ``follow_ups``
parts of an activity), kept by their ids like commitments.

A follow-up's owner travels as a user name: users are not records of the document, and
the name is what another Passerelle can match; an unknown name is refused, naming it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models

from passerelle.activities.models import AgendaItem, FollowUp

from .format import DocumentError, Part, from_validation, shown, text
from .rows import _loaded


def _typed(obj: models.Model, names, path: str) -> None:
    """Dates and times as the model holds them, so that an unchanged row compares equal
    to the one read (and is not saved again, with a history entry)."""
    for name in names:
        field = obj._meta.get_field(name)
        if isinstance(field, models.DateField | models.TimeField):
            try:
                setattr(obj, name, field.to_python(getattr(obj, name)))
            except ValidationError as error:
                raise from_validation(f"{path}.{name}", error) from None


class DelegationParts:
    """Mixed into the importer: it brings ``entries``, ``uid``, ``assign``, ``refer``,
    ``save``, ``cite`` and ``delete``."""

    def _by_uid(self, model, part: Part, activity, record: dict, path: str):
        keep = set()
        for where, entry in self.entries(record, part, path):
            uid = self.uid(entry, where)
            found = _loaded(model.objects.filter(uid=uid, delegation=activity))
            row = found[0] if found else model(uid=uid, delegation=activity)
            yield where, entry, row
            keep.add(row.pk)
        self.delete(model.objects.filter(delegation=activity).exclude(pk__in=keep))

    def agenda(self, part: Part, activity, record: dict, path: str) -> None:
        rows = self._by_uid(AgendaItem, part, activity, record, path)
        for i, (where, entry, item) in enumerate(rows):
            self.assign(item, {"position": i, **entry}, part.fields, where)
            _typed(item, part.fields, where)
            self.save(item, where)

    def follow_ups(self, part: Part, activity, record: dict, path: str) -> None:
        users = get_user_model()
        for where, entry, action in self._by_uid(FollowUp, part, activity, record, path):
            name = text(entry.get("owner"), f"{where}.owner")
            owner = users.objects.filter(username=name).first() if name else None
            if name and owner is None:
                raise DocumentError(f"{where}.owner", f"no user is named “{shown(name)}”")
            action.owner = owner
            self.refer(action, entry, where, part.references)
            self.assign(action, entry, part.fields, where)
            _typed(action, part.fields, where)
            self.save(action, where)
            self.cite(action, entry, where)
