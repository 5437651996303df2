"""Back office of the public window: how the International relations page tells the records."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from .models import FeaturedActivity, Introduction, SectionSetting


@admin.register(SectionSetting)
class SectionSettingAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["key", "position", "shown"]
    list_editable = ["position", "shown"]


@admin.register(FeaturedActivity)
class FeaturedActivityAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["activity", "position"]
    list_editable = ["position"]
    autocomplete_fields = ["activity"]


@admin.register(Introduction)
class IntroductionAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["page", "language"]
    list_filter = ["page", "language"]
