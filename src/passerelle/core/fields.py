"""Model fields shared by every area."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import fields as countries_fields
from django_countries.fields import CountryDescriptor

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


class _CountryDescriptor(CountryDescriptor):
    """django-countries' descriptor, with the values a row gives stored as they come: the
    library cleans every value set, which for the tens of thousands of rows a check of every
    agreement loads was a tenth of its time, for text that is already clean."""

    def __set__(self, instance, value):
        if type(value) is str:
            if not self.field.multiple:  # what cleaning a code's text gives: the text
                instance.__dict__[self.field.name] = value
                return
            if not value:  # an empty list, stored as ""
                instance.__dict__[self.field.name] = []
                return
        super().__set__(instance, value)


class CountryField(countries_fields.CountryField):
    """django-countries' field, faster to load (see ``_CountryDescriptor``). The same field
    in the database and in migrations: it deconstructs as the library's."""

    descriptor_class = _CountryDescriptor

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django_countries.fields.CountryField", args, kwargs
