"""Back office pieces every area shares: the record base admin and citations."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldError, ValidationError
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import GenericTabularInline, ModelAdmin
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from . import authoring
from .backoffice import RestrictedAdmin, RestrictedHistory, RestrictedInline
from .models import Citation, Reader, Source
from .querysets import holds
from .spreadsheets import sheets_for


class CitationInline(RestrictedInline, GenericTabularInline):
    """The sources a record cites, each with the sentence that supports it."""

    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "quotation", "locator"]
    verbose_name = _("source cited")
    verbose_name_plural = _("sources cited")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ReaderInline(RestrictedInline, GenericTabularInline):
    """The users and groups who read a confidential record (besides its owner and
    administrators)."""

    model = Reader
    extra = 0
    autocomplete_fields = ["user", "group"]
    fields = ["user", "group"]
    verbose_name = _("reader")
    verbose_name_plural = _("readers, when the record is confidential")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "group")


class RecordAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    """Base admin of records: history with revert, citations, readers, drafts, and only
    the records the user may read and change (core.querysets, core.backoffice)."""

    inlines = [CitationInline]
    list_filter_submit = True
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["uid", "created", "updated", "owner"]
    change_form_template = "admin/record_change_form.html"
    actions = ["publish_drafts"]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), ReaderInline]

    def get_fieldsets(self, request, obj=None):
        publication = (_("Publication"), {"fields": ["draft", "owner"]})
        return [*super().get_fieldsets(request, obj), publication]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if authoring.publishes(request.user) else [*readonly, "draft"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "draft"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            return form
        user = request.user

        class NewRecordForm(form):
            """Stamps owner and draft before validation, so a contributor's "public" draft
            is refused on the form rather than by the database."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                authoring.start(self.instance, user)

        return NewRecordForm

    def has_publish_permission(self, request):
        return authoring.publishes(request.user)

    @admin.action(description=_("Publish the selected drafts"), permissions=["publish"])
    def publish_drafts(self, request, queryset):
        count = authoring.publish(queryset.filter(draft=True))
        self.message_user(request, _("%(count)d drafts published.") % {"count": count})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # the version the form was built from, sent back with the changes
        context["loaded_version"] = obj.updated.isoformat() if obj is not None and obj.pk else ""
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            stale = self.stale_edit(request, object_id)
            if stale:
                messages.error(request, stale)
                return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)

    def stale_edit(self, request, object_id: str) -> str | None:
        """Why a change must not be saved: someone saved the record after this form was opened."""
        loaded = request.POST.get("loaded_version")
        current = self.get_object(request, unquote(object_id))
        if current is None or not loaded or loaded == current.updated.isoformat():
            return None
        last = current.history.select_related("history_user").order_by("-history_date").first()
        who = last.history_user.get_username() if last and last.history_user else _("someone")
        return _(
            "«%(record)s» was changed by %(who)s at %(when)s, after you opened it. Nothing was "
            "saved: the page now shows the current version; make your changes again."
        ) % {
            "record": current,
            "who": who,
            "when": date_format(localtime(current.updated), "DATETIME_FORMAT"),
        }


class SheetImportForm(ImportForm):
    """Refuses a file larger than its format allows before a byte of it is read (the
    formats of ``IMPORT_EXPORT_FORMATS`` say, through ``check_upload``)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats

    def clean(self):
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), cleaned.get("format")
        if upload is not None and str(index or "").isdigit():
            check = getattr(self.format_classes[int(index)], "check_upload", None)
            try:
                if check is not None:
                    check(upload)
            except ValueError as error:
                self.add_error("import_file", str(error))
        return cleaned


class SpreadsheetMixin(ImportExportMixin):
    """Import from and export to CSV and XLSX, with a preview of every row before writing.

    Importing is for those who may add and change the model (a viewer gets no Import
    button, and a 403 on its address); the rows are checked against what the user may
    change (ingest.permissions). Exporting is for those who may view it, and exports
    the rows of the list, which are those the user reads.
    """

    import_form_class = SheetImportForm
    export_form_class = ExportForm

    def get_resource_classes(self, request):
        # registered by ingest, the layer above that reads and checks sheets
        return sheets_for(self.model)

    def add_data_read_fail_error_to_form(self, form, e):
        """A sheet refused as a whole (too large, not a sheet) says why in its own words."""
        if getattr(e, "shown_to_user", False):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        user = request.user
        return authoring.may_add(user, self.model) and holds(user, self.model, "change")

    def has_export_permission(self, request):
        return holds(request.user, self.model, "view")

    def export_action(self, request):
        """A list filter the export does not understand (a hand-made address, an old
        bookmark) gives the whole list's export page and says so, as the list itself
        does, rather than an error page."""
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, FieldError, ValidationError, ValueError):
            messages.error(
                request,
                _(
                    "The list's filters in this address were not understood: "
                    "the export is of the whole list."
                ),
            )
            return HttpResponseRedirect(request.path)

    def get_export_resource_kwargs(self, request, **kwargs):
        # the exported rows are the list's, which the user reads; their related records
        # (a city, a topic) are named only where the user reads them too
        return {**super().get_export_resource_kwargs(request, **kwargs), "reader": request.user}


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
                    "language",
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
class CitationAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["source", "content_type", "object_id", "quotation"]
    list_select_related = ["source", "content_type"]
    list_filter = ["content_type"]
    search_fields = ["quotation", "source__title"]
    autocomplete_fields = ["source"]
