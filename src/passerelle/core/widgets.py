"""Back-office widgets for choice fields, where django-unfold's defaults mislead.

Unfold draws every field with choices as a single-choice list, and offers an empty
option only when the field may be blank. Two faults follow: a field holding several
countries (``CountryField(multiple=True)``) shows one country and fails every save
with "Enter a list of values"; a required choice without a default opens on its first
choice (a place "in Afghanistan") instead of asking.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MultipleChoiceList(forms.SelectMultiple):
    """A searchable multi-choice list (select2, shipped with Django's admin), started on
    rows that inlines add too. Unfold's own select2 widget carries Django's autocomplete
    class, whose script turns an added row's list into a remote search with no address."""

    def __init__(self, attrs=None, choices=()):
        attrs = {**(attrs or {}), "data-theme": "admin-autocomplete"}
        attrs["class"] = f"passerelle-multiple {attrs.get('class', '')}".strip()
        super().__init__(attrs, choices)

    class Media:
        extra = "" if settings.DEBUG else ".min"
        js = (
            f"admin/js/vendor/jquery/jquery{extra}.js",
            "admin/js/vendor/select2/select2.full.js",
            "admin/js/jquery.init.js",
            "passerelle/choices.js",
        )
        css = {"screen": ("admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css")}


def holds_several(db_field: models.Field) -> bool:
    """Whether a choice field stores a list of values (django-countries' ``multiple``)."""
    return bool(getattr(db_field, "multiple", False))


class ChoiceWidgetsMixin:
    """For a ModelAdmin or an inline: several-value fields get a multi-choice list that
    starts empty; required choices without a default start on an empty "choose" option."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if holds_several(db_field):
            kwargs.setdefault("widget", MultipleChoiceList)
            return db_field.formfield(**kwargs)
        if not db_field.blank and not db_field.has_default() and "choices" not in kwargs:
            kwargs["choices"] = db_field.get_choices(
                include_blank=True, blank_choice=[("", _("Choose…"))]
            )
        return super().formfield_for_choice_field(db_field, request, **kwargs)
