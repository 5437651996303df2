"""Back office of imports and identity: conflicts to review, registry records, duplicates and
merges."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin
from unfold.decorators import action

from passerelle.core.backoffice import RestrictedAdmin
from passerelle.core.users import AnyUser
from passerelle.registry.models import Organization, Person

from .merging import (
    MergeError,
    likely_duplicate_organizations,
    likely_duplicate_people,
    merge,
    undo,
)
from .models import ExternalRecord, ImportConflict, Merge


@admin.register(ImportConflict)
class ImportConflictAdmin(RestrictedAdmin, ModelAdmin):
    """Fields staff edited that the registry changed too: Passerelle kept the staff's value."""

    list_display = ["organization", "field", "ours", "theirs", "detected", "resolved"]
    list_select_related = ["organization"]
    list_filter = ["resolved", "field", "registry"]
    search_fields = ["organization__name", "ours", "theirs"]
    readonly_fields = ["organization", "registry", "field", "ours", "theirs", "detected"]
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark as reviewed"))
    def mark_resolved(self, request, queryset):
        count = queryset.update(resolved=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d conflict marked as reviewed.",
                "%(count)d conflicts marked as reviewed.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ExternalRecord)
class ExternalRecordAdmin(RestrictedAdmin, ModelAdmin):
    list_display = ["external_id", "registry", "organization", "imported"]
    list_select_related = ["organization"]
    list_filter = ["registry"]
    search_fields = ["external_id", "organization__name"]
    readonly_fields = ["registry", "external_id", "organization", "digest", "values", "imported"]

    def has_add_permission(self, request):
        return False


@admin.register(Merge)
class MergeAdmin(RestrictedAdmin, ModelAdmin):
    """Merges done, each undoable; and the page of likely duplicates to merge."""

    list_display = ["dropped_name", "kind", "kept", "merged_by", "merged", "undone"]
    list_select_related = ["kept_organization", "kept_person", "merged_by"]
    list_filter = ["kind", "undone"]
    search_fields = ["dropped_name", "kept_organization__name", "kept_person__family_name"]
    readonly_fields = [
        "kind",
        "kept_organization",
        "kept_person",
        "dropped_name",
        "dropped",
        "moved",
        "merged_by",
        "merged",
        "undone",
    ]
    actions = ["undo_merges"]
    actions_list = ["find_duplicates"]

    def has_add_permission(self, request):
        return False

    @action(description=_("Likely duplicates"), url_path="find-duplicates", icon="join")
    def find_duplicates(self, request):
        return HttpResponseRedirect(reverse("admin:ingest_merge_duplicates"))

    @admin.display(description=_("kept"))
    def kept(self, obj):
        return obj.kept_organization or obj.kept_person or "—"

    @admin.action(description=_("Undo the selected merges"))
    def undo_merges(self, request, queryset):
        for record in queryset:
            try:
                restored = undo(record, user=request.user)
            except MergeError as error:
                self.message_user(request, f"{record}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(record)s restored.") % {"record": restored}, messages.SUCCESS
                )

    def get_urls(self):
        return [
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name="ingest_merge_duplicates",
            ),
            *super().get_urls(),
        ]

    def duplicates_view(self, request):
        """Likely duplicate organizations and people, and the merge itself (POST)."""
        if not request.user.has_perm("registry.change_organization"):
            raise PermissionDenied
        if request.method == "POST":
            return self._merge_from_post(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Likely duplicates"),
            "organizations": _readable_pairs(likely_duplicate_organizations(), request.user),
            "people": _readable_pairs(likely_duplicate_people(), request.user),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ingest/duplicates.html", context)

    def _merge_from_post(self, request):
        model = {"organization": Organization, "person": Person}.get(request.POST.get("kind"))
        if model is None:
            raise PermissionDenied
        # both read through the rule: the kept one changed, the other deleted by the merge
        keep = _pk_of(model.objects.restrict(request.user, "change"), request.POST.get("keep"))
        drop = _pk_of(model.objects.restrict(request.user, "delete"), request.POST.get("drop"))
        if keep is None or drop is None:
            self.message_user(
                request,
                _("One of the two records no longer exists, or you may not merge it."),
                messages.ERROR,
            )
        else:
            try:
                record = merge(keep, drop, user=request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(dropped)s merged into %(kept)s. It can be undone from the list of merges.")
                    % {"dropped": record.dropped_name, "kept": keep},
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(reverse("admin:ingest_merge_duplicates"))


def _pk_of(records, pk):
    return records.filter(pk=pk).first() if str(pk or "").isdigit() else None


def _readable_pairs(pairs, user: AnyUser) -> list:
    """The likely duplicates of which the user reads both records."""
    if not pairs:
        return pairs
    model = type(pairs[0].first)
    pks = {p.first.pk for p in pairs} | {p.second.pk for p in pairs}
    readable = set(
        model.objects.restrict(user, "view").filter(pk__in=pks).values_list("pk", flat=True)
    )
    return [p for p in pairs if p.first.pk in readable and p.second.pk in readable]


from . import submission_admin  # noqa: E402, F401  (the review queue registers its admins)
