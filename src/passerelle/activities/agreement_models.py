"""The documents of an agreement: its signed PDF and its annexes, each version kept.

A document is stored once with its SHA-256 checksum, its size and its type, all three
checked when it is uploaded (``check_upload``): the size before the file is read
whole, the type from the file's first bytes rather than from its name. It hangs off
its agreement: read by those who read the agreement, changed by those who may change
it (``DocumentQuerySet``), downloaded through the back office's guarded door only.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.core.querysets import DependentQuerySet

from .vocabulary import DocumentKind

#: The largest document accepted (a signed agreement with annexes is a few megabytes).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: What a document may be, by its first bytes: the type each signature declares.
SIGNATURES = {b"%PDF-": "application/pdf"}
#: Files are read in pieces of this size to checksum them.
CHUNK = 64 * 1024


class DocumentQuerySet(DependentQuerySet):
    holders = ("agreement",)


def document_path(document: AgreementDocument, filename: str) -> str:
    """Stored under a name of its own, never the uploader's: ``agreements/<uuid>.pdf``."""
    return f"agreements/{document.uid}.pdf"


class AgreementDocument(models.Model):
    """The signed text or an annex of an agreement, one version of it."""

    uid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("agreement"),
    )
    kind = models.CharField(_("document"), max_length=8, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    file = models.FileField(_("file"), upload_to=document_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    media_type = models.CharField(_("type"), max_length=60, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "kind", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "title", "version"], name="agreement_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs) -> None:
        self.number_version()
        super().save(*args, **kwargs)

    def number_version(self) -> None:
        """A new row is the next version of the document of its title and kind."""
        if self.pk is None and self.agreement_id:
            latest = (
                AgreementDocument.objects.filter(
                    agreement_id=self.agreement_id, kind=self.kind, title=self.title
                )
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
            )
            self.version = (latest or 0) + 1

    def clean(self) -> None:
        super().clean()
        self.number_version()
        if self.agreement_id and self.agreement.kind != "agreement":
            raise ValidationError(
                {
                    "agreement": _("«%(activity)s» is not an agreement: it has no documents.")
                    % {"activity": self.agreement}
                }
            )
        if self.file and not self.sha256:
            facts = check_upload(self.file, self.agreement if self.agreement_id else "?")
            self.sha256, self.size, self.media_type = facts


def check_upload(upload, agreement) -> tuple[str, int, str]:
    """The checksum, size and type of an uploaded file, or ValidationError naming the
    agreement and the field: over :data:`MAX_DOCUMENT_BYTES` (said before reading it), or
    not a PDF by its first bytes (whatever its name says)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {
                "file": _("%(agreement)s: the document is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "agreement": agreement,
                    "size": f"{size / 1048576:.1f}",
                    "limit": MAX_DOCUMENT_BYTES // 1048576,
                }
            }
        )
    upload.seek(0)
    head = upload.read(8)
    media_type = next((t for sig, t in SIGNATURES.items() if head.startswith(sig)), None)
    if media_type is None:
        raise ValidationError(
            {
                "file": _("%(agreement)s: «%(name)s» is not a PDF document (by its content).")
                % {"agreement": agreement, "name": getattr(upload, "name", "?")}
            }
        )
    upload.seek(0)
    digest, total = hashlib.sha256(), 0
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        total += len(chunk)
        if total > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                {
                    "file": _("%(agreement)s: the document is over the limit.")
                    % {"agreement": agreement}
                }
            )
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), total, media_type
