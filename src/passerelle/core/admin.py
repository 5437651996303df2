"""Back office pieces every area shares: the record base admin and citations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import GenericTabularInline, ModelAdmin
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from .models import Citation, Source


class CitationInline(GenericTabularInline):
    """The sources a record cites, each with the sentence that supports it."""

    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "quotation", "locator"]
    verbose_name = _("source cited")
    verbose_name_plural = _("sources cited")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class RecordAdmin(SimpleHistoryAdmin, ModelAdmin):
    """Base admin of records: history with revert, citations, visibility in lists."""

    inlines = [CitationInline]
    list_filter_submit = True
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["uid", "created", "updated"]


class SpreadsheetMixin(ImportExportMixin):
    """Import from and export to CSV and XLSX, with a preview of every row before writing."""

    import_form_class = ImportForm
    export_form_class = ExportForm


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "publisher", "url", "document", "accessed", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["title", "url", "document", "publisher"]
    inlines = []
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "url",
                    "document",
                    "publisher",
                    "published",
                    "accessed",
                    "note",
                    "visibility",
                ]
            },
        ),
        (_("Record"), {"fields": ["uid", "created", "updated"], "classes": ["collapse"]}),
    ]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["source", "content_type", "object_id", "quotation"]
    list_select_related = ["source", "content_type"]
    list_filter = ["content_type"]
    search_fields = ["quotation", "source__title"]
    autocomplete_fields = ["source"]
