"""The audit log: who signed in, who failed to, and who changed permissions or visibility.

Rows are only ever added: the back office shows them read-only, and nothing in
Passerelle updates or deletes them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passerelle.core.users import AnyUser


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("failed to sign in")
        LOGOUT = "logout", _("signed out")
        PERMISSION_CHANGED = "permission_changed", _("permissions changed")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        TOKEN_USED = "token_used", _("API token used")
        VISIBILITY_CHANGED = "visibility_changed", _("visibility changed")
        READERS_CHANGED = "readers_changed", _("readers of a confidential record changed")

    when = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    username = models.CharField(
        _("user name"), max_length=150, blank=True, help_text=_("As given, even when unknown.")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    target = models.CharField(_("about"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-when", "-pk"]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.username or '-'} {self.get_action_display()}"


class ApiToken(models.Model):
    """A key an integration presents to the API as ``Authorization: Bearer <token>``.

    Only a SHA-256 digest is stored: the token is shown once, when it is issued,
    and a stolen database does not give it away. The prefix finds the row
    without scanning; revoking keeps the row for the audit trail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def _digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def set_new_secret(self) -> str:
        """Give this (unsaved) token a fresh secret; returned once and never stored."""
        self.prefix = secrets.token_hex(4)
        secret = f"psl_{self.prefix}_{secrets.token_urlsafe(32)}"
        self.digest = self._digest(secret)
        return secret

    @classmethod
    def issue(cls, user: AnyUser, name: str) -> tuple[ApiToken, str]:
        """A new token for ``user`` and its secret."""
        token = cls(user=user, name=name)
        secret = token.set_new_secret()
        token.save()
        return token, secret

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        """The live token this secret is, if any (constant-time comparison of digests)."""
        parts = secret.split("_")
        if len(parts) < 3 or parts[0] != "psl":
            return None
        token = (
            cls.objects.select_related("user")
            .filter(prefix=parts[1], revoked__isnull=True, user__is_active=True)
            .first()
        )
        if token is None or not hmac.compare_digest(token.digest, cls._digest(secret)):
            return None
        return token


class ReminderSent(models.Model):
    """A reminder mailed: one item of the desk (its key), at one threshold, to one person.

    A reminder is sent once per key, threshold and recipient: the daily run skips what
    is recorded here, so a rerun sends nothing twice, and a mail that failed is not
    recorded, so the next run tries again (access.reminders). Rows are written by the run
    only; deleting one lets that reminder go again.
    """

    key = models.CharField(_("item"), max_length=200)
    threshold = models.CharField(_("threshold"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    source = models.CharField(_("desk source"), max_length=50)
    label = models.CharField(_("what"), max_length=500)
    language = models.CharField(_("language"), max_length=8)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "threshold", "recipient"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.threshold}) → {self.recipient_id}"


class LanguagePreference(models.Model):
    """The language a staff member last used the back office in, for the mail sent to them
    (recorded when they sign in and when they open the desk)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="language_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
