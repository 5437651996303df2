"""Back office of the review queue: paste or upload a text, review what it proposes.

Adding a submission runs the extraction and stores the proposals; nothing else
is written. Each proposal is accepted (after editing its name or kind if the text
says it amiss) or rejected, one at a time from its page or several from the list;
what a user may review is what it may change (a contributor its own texts).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from passerelle.core.backoffice import RestrictedAdmin

from .extraction import ExtractionError
from .extraction.language import detect_language
from .extraction.reading import MAX_BYTES, Document, read_bytes
from .review import ReviewError, accept, may_review, reject, submit
from .submissions import Proposal, Submission


class SubmissionForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("or upload a file"),
        required=False,
        help_text=_("Plain text, an HTML page or a .docx."),
    )
    language = forms.ChoiceField(
        label=_("language"),
        required=False,
        choices=[("", _("detect it")), ("en", _("English")), ("fr", _("French"))],
    )

    class Meta:
        model = Submission
        fields = ["title", "url", "text", "language", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "text"):
            if name in self.fields:
                self.fields[name].required = False
        self.document: Document | None = None

    def clean(self):
        data = super().clean()
        if self.instance.pk:  # a submission's title, address or date corrected
            return data
        upload = data.get("upload")
        try:
            if upload:
                if upload.size > MAX_BYTES:
                    raise ExtractionError(
                        _("%(name)s is too large (%(size)d bytes; at most %(limit)d)")
                        % {"name": upload.name, "size": upload.size, "limit": MAX_BYTES}
                    )
                self.document = read_bytes(upload.read(), upload.name)
            elif (data.get("text") or "").strip():
                self.document = Document(text=data["text"].replace("\r\n", "\n"))
            else:
                raise forms.ValidationError(_("Paste a text or upload a file."))
        except ExtractionError as error:
            raise forms.ValidationError({"upload" if upload else "text": str(error)}) from None
        if not data.get("language") and detect_language(self.document.text) is None:
            raise forms.ValidationError(
                {"language": _("Cannot tell the language of this text: choose it.")}
            )
        self.document.url = data.get("url") or ""
        if data.get("published"):
            self.document.published = data["published"]
        return data


class ProposalInline(admin.TabularInline):
    model = Proposal
    fields = ["type", "name", "kind", "sentence", "match_name", "match_score", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")


@admin.register(Submission)
class SubmissionAdmin(RestrictedAdmin, ModelAdmin):
    """Texts submitted for extraction, each with its proposals to review."""

    form = SubmissionForm
    list_display = ["title", "language", "created", "owner", "to_review", "accepted"]
    list_select_related = ["owner"]
    list_filter = ["language", "draft"]
    search_fields = ["title", "text"]
    inlines = [ProposalInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending=Count("proposals", filter=Q(proposals__status="pending")),
                done=Count("proposals", filter=Q(proposals__status="accepted")),
            )
        )

    @admin.display(description=_("to review"))
    def to_review(self, obj):
        return getattr(obj, "pending", 0)

    @admin.display(description=_("accepted"))
    def accepted(self, obj):
        return getattr(obj, "done", 0)

    def get_inlines(self, request, obj=None):
        return [ProposalInline] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["title", "url", "published", "language", "text", "upload"]
        return ["title", "url", "published", "language", "media", "text", "source", "review"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["language", "media", "text", "source", "review"]

    @admin.display(description=_("proposals"))
    def review(self, obj):
        url = reverse("admin:ingest_proposal_changelist") + f"?submission__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Review the proposals"))

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            created = submit(
                form.document,
                request.user,
                title=form.cleaned_data.get("title") or "",
                language=form.cleaned_data.get("language") or None,
            )
        except ExtractionError as error:
            raise PermissionDenied(str(error)) from None
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        count = obj.proposals.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d proposal to review; nothing is written before review.",
                "%(count)d proposals to review; nothing is written before review.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        url = reverse("admin:ingest_proposal_changelist") + f"?submission__id__exact={obj.pk}"
        return HttpResponseRedirect(url)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["name", "kind"]


@admin.register(Proposal)
class ProposalAdmin(RestrictedAdmin, ModelAdmin):
    """What a text proposes: accepted (maybe edited first) or rejected by staff."""

    form = ProposalForm
    list_display = ["name", "type", "kind", "status", "matches", "sentence_cut", "submission"]
    list_select_related = ["submission"]
    list_filter = ["status", "type"]
    search_fields = ["name", "sentence"]
    actions = ["accept_selected", "reject_selected"]
    readonly_fields = [
        "submission",
        "type",
        "status",
        "sentence",
        "start",
        "end",
        "match_name",
        "match_score",
        "match_reasons",
        "outcome",
        "reviewed_by",
        "reviewed",
    ]
    fields = ["name", "kind", *readonly_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Proposal.Status.PENDING:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("matches"))
    def matches(self, obj):
        if not obj.match_name:
            return _("new")
        return f"{obj.match_name} ({obj.match_score or 0:.0f})"

    @admin.display(description=_("sentence"))
    def sentence_cut(self, obj):
        return obj.sentence[:120] + ("…" if len(obj.sentence) > 120 else "")

    def _review(self, request, queryset, decide, accepted: bool):
        done = 0
        for proposal in queryset.select_related("submission"):
            if proposal.status != Proposal.Status.PENDING:
                continue
            if not may_review(request.user, proposal):
                self.message_user(
                    request,
                    _("%(proposal)s: you may not review this text.") % {"proposal": proposal},
                    messages.ERROR,
                )
                continue
            try:
                decide(proposal, request.user)
            except (ReviewError, PermissionDenied) as error:
                self.message_user(
                    request,
                    _("%(proposal)s: %(error)s")
                    % {"proposal": proposal, "error": error or _("not allowed")},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            message = (
                ngettext("%(count)d proposal accepted.", "%(count)d proposals accepted.", done)
                if accepted
                else ngettext("%(count)d proposal rejected.", "%(count)d proposals rejected.", done)
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Accept the selected proposals"), permissions=["change"])
    def accept_selected(self, request, queryset):
        self._review(request, queryset, accept, True)

    @admin.action(description=_("Reject the selected proposals"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._review(request, queryset, reject, False)
