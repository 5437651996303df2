"""Audit events from Django's own signals: sign-ins, permission and visibility changes.

An event is written in the same transaction as the change it reports, so a
change that rolls back leaves no event behind, and no change goes unreported.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from passerelle.core.clients import client_address
from passerelle.core.models import Reader, Record

from .models import AuditEvent


def _current_request():
    """The request being served, as django-simple-history's middleware keeps it."""
    return getattr(HistoricalRecords.context, "request", None)


def record(
    action: str,
    *,
    request=None,
    user=None,
    username: str = "",
    target: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    request = request or _current_request()
    if user is None and request is not None and getattr(request, "user", None):
        user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        action=action,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        target=target[:300],
        detail=detail or {},
        address=client_address(request) if request is not None else None,
    )


def _logged_in(sender, request, user, **kwargs) -> None:
    record(AuditEvent.Action.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditEvent.Action.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))
    record(AuditEvent.Action.LOGIN_FAILED, request=request, username=username)


def _permissions_changed(sender, instance, action, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    items = [str(item) for item in model.objects.filter(pk__in=pk_set or [])]
    record(
        AuditEvent.Action.PERMISSION_CHANGED,
        target=f"{instance._meta.verbose_name} «{instance}»",
        detail={
            "change": action.removeprefix("post_"),
            "of": str(model._meta.verbose_name_plural),
            "items": items,
        },
    )


def _flags_changed(sender, instance, **kwargs) -> None:
    """A user made staff or superuser, or no longer."""
    if not instance.pk:
        return
    before = sender.objects.filter(pk=instance.pk).values("is_staff", "is_superuser", "is_active")
    before = before.first()
    if not before:
        return
    changed = {k: [v, getattr(instance, k)] for k, v in before.items() if getattr(instance, k) != v}
    if changed:
        record(
            AuditEvent.Action.PERMISSION_CHANGED,
            target=f"user «{instance.get_username()}»",
            detail={"flags": changed},
        )


def _visibility_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not isinstance(instance, Record) or not instance.pk:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("visibility", flat=True).first()
    if before and before != instance.visibility:
        record(
            AuditEvent.Action.VISIBILITY_CHANGED,
            target=f"{sender._meta.verbose_name} «{instance}»",
            detail={"id": str(instance.uid), "from": before, "to": instance.visibility},
        )


def _readers_changed(sender, instance, signal, created=False, raw=False, **kwargs) -> None:
    """A user or group named to read a confidential record, or no longer."""
    added = signal is post_save
    if raw or (added and not created):
        return
    kind = instance.content_type
    named = kind.model_class().objects.filter(pk=instance.object_id).first()
    record(
        AuditEvent.Action.READERS_CHANGED,
        target=f"{kind.name} «{named}»" if named else kind.name,
        detail={"change": "add" if added else "remove", "reader": str(instance)},
    )


def connect() -> None:
    user_model = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_permissions_changed, sender=through, dispatch_uid=f"audit-{through}")
    pre_save.connect(_flags_changed, sender=user_model, dispatch_uid="audit-user-flags")
    pre_save.connect(_visibility_changed, dispatch_uid="audit-visibility")
    post_save.connect(_readers_changed, sender=Reader, dispatch_uid="audit-readers-added")
    post_delete.connect(_readers_changed, sender=Reader, dispatch_uid="audit-readers-removed")
