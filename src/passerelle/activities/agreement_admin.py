"""The back office of an agreement: its state on its own page, and the doors that change it.

The agreement's page shows its parties and signatures, its term and what is next, its
commitments with the checker's verdicts (and buttons to confirm or reject what the rule
suggested), its linked activities, its documents and the last steps of its history.
Its buttons post to doors of the activity admin (``AgreementDoors.get_urls``), each of
which loads the agreement through ``restrict(user, "view")`` and asks ``may_change``
before it writes; a refused step says why on the page and writes nothing.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from passerelle.core import authoring
from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory

from . import agreements
from .agreement_models import AgreementDocument
from .commitments import VERDICT_LABELS, check
from .models import Activity, ActivityLink, Commitment
from .vocabulary import AgreementStatus, Kind, LinkRelation, Role


def _message(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


class AgreementDoors:
    """Mixed into the activity admin: the agreement panel and its POST doors."""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/lifecycle/",
                wrap(require_POST(self.lifecycle_view)),
                name="{}_{}_lifecycle".format(*info),
            ),
            path(
                "<int:object_id>/renew/",
                wrap(require_POST(self.renew_view)),
                name="{}_{}_renew".format(*info),
            ),
            path(
                "<int:object_id>/fulfilment/",
                wrap(require_POST(self.fulfilment_view)),
                name="{}_{}_fulfilment".format(*info),
            ),
            path(
                "document/<int:document_id>/download/",
                wrap(self.download_view),
                name="{}_{}_download".format(*info),
            ),
            *super().get_urls(),
        ]

    def _agreement(self, request, object_id) -> Activity:
        """The agreement the user reads, and may change, or 404 / 403."""
        agreement = get_object_or_404(
            Activity.objects.restrict(request.user, "view"), pk=object_id, kind=Kind.AGREEMENT
        )
        if not authoring.may_change(request.user, agreement):
            raise PermissionDenied
        return agreement

    def _back(self, agreement):
        return HttpResponseRedirect(
            reverse("admin:activities_activity_change", args=[agreement.pk])
        )

    def lifecycle_view(self, request, object_id):
        agreement = self._agreement(request, object_id)
        status = request.POST.get("lifecycle_status", "")
        try:
            with transaction.atomic():
                agreements.transition(
                    agreement, status, request.user, request.POST.get("lifecycle_reason", "")
                )
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(
                request,
                _("«%(a)s» is now %(s)s.") % {"a": agreement, "s": AgreementStatus(status).label},
            )
        return self._back(agreement)

    def renew_view(self, request, object_id):
        agreement = self._agreement(request, object_id)
        try:
            successor = agreements.renew(
                agreement, request.user, request.POST.get("lifecycle_reason", "")
            )
        except ValidationError as error:
            messages.error(request, _message(error))
            return self._back(agreement)
        messages.success(request, _("«%(a)s» renews it: a draft copy to edit.") % {"a": successor})
        return self._back(successor)

    def fulfilment_view(self, request, object_id):
        """Confirm (``fulfils``) or reject (``not_fulfils``) a suggested activity: a link
        from the activity to the agreement, which the user must be allowed to change."""
        agreement = self._agreement(request, object_id)
        commitment = get_object_or_404(
            Commitment.objects.restrict(request.user, "view"),
            pk=request.POST.get("commitment") or request.GET.get("commitment") or 0,
            agreement=agreement,
        )
        activity = get_object_or_404(
            Activity.objects.restrict(request.user, "view"),
            pk=request.POST.get("activity") or request.GET.get("activity") or 0,
        )
        decision = request.POST.get("decision")
        relation = {"confirm": LinkRelation.FULFILS, "reject": LinkRelation.NOT_FULFILS}.get(
            decision
        )
        if relation is None:
            messages.error(request, _("Confirm or reject: nothing else."))
            return self._back(agreement)
        other = (
            LinkRelation.NOT_FULFILS if relation == LinkRelation.FULFILS else LinkRelation.FULFILS
        )
        link = ActivityLink(
            subject=activity, relation=relation, object=agreement, commitment=commitment
        )
        if not authoring.may_change(request.user, activity) or not holds_link(request.user):
            raise PermissionDenied
        try:
            with transaction.atomic():
                ActivityLink.objects.filter(
                    subject=activity, object=agreement, relation=other, commitment=commitment
                ).delete()
                link.full_clean()
                link.save()
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(
                request,
                (
                    _("«%(x)s» fulfils «%(c)s».")
                    if decision == "confirm"
                    else _("«%(x)s» does not fulfil «%(c)s».")
                )
                % {"x": activity, "c": commitment},
            )
        return self._back(agreement)

    def download_view(self, request, document_id):
        document = get_object_or_404(
            AgreementDocument.objects.restrict(request.user, "view"), pk=document_id
        )
        if not document.file:
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{document.title}-v{document.version}.pdf",
            content_type=document.media_type,
        )

    # -- the panel

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None and obj.kind == Kind.AGREEMENT and request.method == "GET":
            extra_context["agreement_panel"] = agreement_panel(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)


def holds_link(user) -> bool:
    from passerelle.core.querysets import holds

    return holds(user, ActivityLink, "add") and holds(user, ActivityLink, "delete")


def agreement_panel(request, agreement: Activity) -> dict:
    """What the agreement's page shows above its form."""
    user = request.user
    term = agreements.term(agreement)
    parties = list(
        agreement.participations.restrict(user, "view")
        .filter(role=Role.PARTY)
        .select_related("organization", "signed_by")
    )
    checks = check(user, [agreement])
    for result in checks:
        result.label = VERDICT_LABELS[result.status]
    linked = list(
        ActivityLink.objects.filter(object=agreement, subject__in=Activity.objects.restrict(user))
        .select_related("subject", "commitment")
        .order_by("relation", "subject__start")
    )
    documents = list(AgreementDocument.objects.restrict(user, "view").filter(agreement=agreement))
    steps = list(agreement.history.select_related("history_user").order_by("-history_date")[:8])
    may_change = authoring.may_change(user, agreement)
    current = term.status
    return {
        "agreement": agreement,
        "term": term,
        "status_label": AgreementStatus(current).label if current else "—",
        "parties": parties,
        "checks": checks,
        "linked": linked,
        "documents": documents,
        "steps": steps,
        "may_change": may_change,
        "steps_allowed": [
            (s, AgreementStatus(s).label)
            for s in agreements.ACTIONS
            if s in agreements.STEPS.get(current, ())
        ],
        "may_renew": AgreementStatus.RENEWED in agreements.STEPS.get(current, ()),
        "add_document": reverse("admin:activities_agreementdocument_add")
        + f"?agreement={agreement.pk}",
    }


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["title", "agreement", "kind", "version", "size", "uploaded", "download"]
    list_select_related = ["agreement"]
    list_filter = ["kind"]
    search_fields = ["title", "agreement__title_en"]
    autocomplete_fields = ["agreement"]
    readonly_fields = ["version", "sha256", "size", "media_type", "uploaded_by", "uploaded"]
    fields = ["agreement", "kind", "title", "file", *readonly_fields]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.pk:  # a version is never overwritten: upload a new one
            return ["agreement", "kind", "title", "download", *self.readonly_fields]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk:
            readonly += ["agreement", "kind", "title", "download"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agreement" and field is not None:
            field.queryset = field.queryset.filter(kind=Kind.AGREEMENT)
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:activities_activity_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
