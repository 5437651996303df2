"""Model fields shared by every area."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .dates import validate_partial_date


class PartialDateField(models.CharField):
    """A date known to a year, a month or a day, stored as ``YYYY[-MM[-DD]]``.

    See :mod:`passerelle.core.dates` for why it is text.
    """

    default_validators = [validate_partial_date]
    description = _("Date known to the year, month or day")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", _("YYYY, YYYY-MM or YYYY-MM-DD: as precise as is known."))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_length", 10), ("blank", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        kwargs.pop("help_text", None)
        return name, path, args, kwargs
