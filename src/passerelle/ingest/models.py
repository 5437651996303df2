"""What imports remember: the last version of each external record, and conflicts to review.

A re-import must update what the registry changed without overwriting what
staff edited in Passerelle. Knowing the values last imported makes that a
three-way comparison: ours (now), base (last import), theirs (this import).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from passerelle.core.querysets import DependentQuerySet
from passerelle.registry.models import Organization, Person


class ImportedRowQuerySet(DependentQuerySet):
    """Registry records and conflicts: read and reviewed by whoever reads and changes their
    organization (core.querysets)."""

    holders = ("organization",)


class MergeQuerySet(DependentQuerySet):
    """A merge is read, and undone, by whoever reads, and changes, the record kept."""

    holders = ("kept_organization", "kept_person")


class ExternalRecord(models.Model):
    """The last imported version of a registry record, by registry and id."""

    registry = models.CharField(_("registry"), max_length=20, default="ror")
    external_id = models.CharField(_("id in the registry"), max_length=100)
    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="external_record",
        verbose_name=_("organization"),
    )
    digest = models.CharField(_("digest of the record"), max_length=64)
    values = models.JSONField(_("values last imported"), default=dict)
    imported = models.DateTimeField(_("imported"), auto_now=True)

    objects = ImportedRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("external record")
        verbose_name_plural = _("external records")
        constraints = [
            models.UniqueConstraint(fields=["registry", "external_id"], name="external_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.registry}:{self.external_id}"


class ImportConflict(models.Model):
    """A field staff edited that the registry also changed: kept as staff left it, for review."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="import_conflicts",
        verbose_name=_("organization"),
    )
    registry = models.CharField(_("registry"), max_length=20, default="ror")
    field = models.CharField(_("field"), max_length=50)
    ours = models.TextField(_("value in Passerelle"), blank=True)
    theirs = models.TextField(_("value in the registry"), blank=True)
    detected = models.DateTimeField(_("detected"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    objects = ImportedRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("import conflict")
        verbose_name_plural = _("import conflicts")
        ordering = ["resolved", "-detected"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.field}"


class Merge(models.Model):
    """Two records found to be one: what the merge moved, so that it can be undone."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("organization")
        PERSON = "person", _("person")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    kept_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kept organization"),
    )
    kept_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kept person"),
    )
    dropped_name = models.CharField(_("merged record"), max_length=300)
    dropped = models.JSONField(_("merged record's fields"), default=dict)
    moved = models.JSONField(_("rows moved"), default=dict)
    merged_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged = models.DateTimeField(_("merged"), auto_now_add=True)
    undone = models.DateTimeField(_("undone"), null=True, blank=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged"]

    def __str__(self) -> str:
        kept = self.kept_organization or self.kept_person
        return f"{self.dropped_name} → {kept}"


from .submissions import Proposal, Submission  # noqa: E402  (the review queue's models)

__all__ = ["ExternalRecord", "ImportConflict", "Merge", "Proposal", "Submission"]
