"""Back office of the public window: how the International relations page tells the records.

What composes the public site shows there at once: editors change it, others read it
(core.querysets.EditorialQuerySet)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory

from .models import FeaturedActivity, Introduction, SectionSetting


@admin.register(SectionSetting)
class SectionSettingAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["key", "position", "shown"]
    list_editable = ["position", "shown"]


@admin.register(FeaturedActivity)
class FeaturedActivityAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["activity", "position"]
    list_editable = ["position"]
    autocomplete_fields = ["activity"]


@admin.register(Introduction)
class IntroductionAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["page", "language"]
    list_filter = ["page", "language"]
