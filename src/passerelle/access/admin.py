"""The audit log in the back office: readable by administrators, never editable."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from .audit import record
from .models import ApiToken, AuditEvent, ReminderSent


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdmin):
    list_display = ["when", "username", "action", "target", "address"]
    list_filter = ["action"]
    search_fields = ["username", "target"]
    date_hierarchy = "when"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    """Issue, list and revoke the API's tokens; a token's secret shows once, when issued."""

    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return (
            ["user", "name"]
            if obj is None
            else ["user", "name", "prefix", "created", "last_used", "revoked"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "prefix", "created", "last_used", "revoked"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        secret = obj.set_new_secret()
        super().save_model(request, obj, form, change)
        record(
            AuditEvent.Action.TOKEN_ISSUED,
            request=request,
            target=str(obj),
            detail={"for": obj.user.get_username()},
        )
        messages.warning(
            request,
            _("Copy the token now, it will not be shown again: %(secret)s") % {"secret": secret},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked__isnull=True):
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
            record(AuditEvent.Action.TOKEN_REVOKED, request=request, target=str(token))
        self.message_user(request, _("Tokens revoked."))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the audit log refers to them


@admin.register(ReminderSent)
class ReminderSentAdmin(ModelAdmin):
    """The reminders mailed (access.reminders): read only; deleting one lets it go again."""

    list_display = ["sent_at", "recipient", "source", "threshold", "label", "language"]
    list_select_related = ["recipient"]
    list_filter = ["source", "threshold", "language"]
    search_fields = ["key", "label", "recipient__username", "recipient__email"]
    date_hierarchy = "sent_at"
    readonly_fields = [f.name for f in ReminderSent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
