"""Back-office widgets for choice fields, where django-unfold's defaults mislead.

Unfold draws every field with choices as a single-choice list, and offers an empty
option only when the field may be blank. Two faults follow: a field holding several
countries (``CountryField(multiple=True)``) shows one country and fails every save
with "Enter a list of values"; a required choice without a default opens on its first
choice (a place "in Afghanistan") instead of asking.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelect2MultipleWidget


def holds_several(db_field: models.Field) -> bool:
    """Whether a choice field stores a list of values (django-countries' ``multiple``)."""
    return bool(getattr(db_field, "multiple", False))


class ChoiceWidgetsMixin:
    """For a ModelAdmin or an inline: several-value fields get a multi-choice list that
    starts empty; required choices without a default start on an empty "choose" option."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if holds_several(db_field):
            kwargs.setdefault("widget", UnfoldAdminSelect2MultipleWidget)
            return db_field.formfield(**kwargs)
        if not db_field.blank and not db_field.has_default() and "choices" not in kwargs:
            kwargs["choices"] = db_field.get_choices(
                include_blank=True, blank_choice=[("", _("Choose…"))]
            )
        return super().formfield_for_choice_field(db_field, request, **kwargs)
