"""Spreadsheet rows imported in the back office change only what the user may change.

The back office passes the signed-in user to the import (django-import-export's
``user``); the command line, run by the machine's operators, passes none and is
not restricted. For a user, a row that names an existing record (by id, ROR id
or a confident name match) is refused unless the user may change that record,
with the same words whether the user reads that record or not;
a new row is stamped as the user creates it (a contributor's is a draft it owns)
and refused if the user may not add it there (a participation on a published
activity, for a contributor).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from passerelle.core import authoring
from passerelle.core.models import Record


class RowsForTheUser:
    """Mixed into import-export resources before ``ModelResource``."""

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        user = kwargs.get("user")
        if user is None:
            return
        if new:
            if isinstance(instance, Record):
                authoring.start(instance, user)
            return
        if not authoring.may_change(user, instance):
            raise ValidationError({"id": _refusal(row)})

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and not authoring.may_change(user, instance):
            raise ValidationError({"id": _refusal(row)})
        return super().save_instance(instance, is_create, row, **kwargs)


def _refusal(row) -> str:
    named = str(row.get("id") or row.get("ror") or row.get("name") or "").strip()[:100]
    return _("%(row)s: no record you may change has this id or name; nothing written.") % {
        "row": named or _("this row")
    }
