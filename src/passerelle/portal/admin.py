"""Back office of the public window: how the International relations page tells the records.

What composes the public site shows there at once: editors change it, others read it
(core.querysets.EditorialQuerySet). A headline or lede written in one language only is
marked in the lists: the portal shows what is composed in the other language, not a
translation nobody wrote."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory

from .models import (
    ActivityWording,
    FeaturedActivity,
    Introduction,
    OpenDataSetting,
    SectionSetting,
)

WORDING_FIELDSETS = (
    (_("English"), {"fields": ["headline_en", "lede_en"]}),
    (
        _("French"),
        {
            "fields": ["headline_fr", "lede_fr"],
            "description": _(
                "Left blank, the French page shows the composed French text, not the English."
            ),
        },
    ),
)


@admin.display(description=_("translation"))
def translation_status(row) -> str:
    """ "French missing: the portal composes it" where staff wrote one language only."""
    missing = row.untranslated()
    if not missing:
        return "✓"
    names = {"en": _("English"), "fr": _("French")}
    return _("%(languages)s missing: the portal shows the composed text") % {
        "languages": ", ".join(str(names[code]) for code in missing)
    }


@admin.register(SectionSetting)
class SectionSettingAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["key", "position", "shown", "headline_en", translation_status]
    list_editable = ["position", "shown"]
    fieldsets = ((None, {"fields": ["key", "position", "shown"]}), *WORDING_FIELDSETS)


@admin.register(ActivityWording)
class ActivityWordingAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["activity", "headline_en", translation_status]
    autocomplete_fields = ["activity"]
    fieldsets = ((None, {"fields": ["activity"]}), *WORDING_FIELDSETS)


@admin.register(FeaturedActivity)
class FeaturedActivityAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["activity", "position"]
    list_editable = ["position"]
    autocomplete_fields = ["activity"]


@admin.register(Introduction)
class IntroductionAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["page", "language"]
    list_filter = ["page", "language"]


@admin.register(OpenDataSetting)
class OpenDataSettingAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    """The open dataset's licence: one row, changed by editors, never added twice or deleted
    (the open-data page always has one to read)."""

    list_display = ["licence_name", "licence_url", "attribution"]
    fields = ["licence_name", "licence_url", "attribution"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not OpenDataSetting.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
