"""Texts submitted for extraction, and the proposals staff review before anything is written.

A submission is a record (it has an owner, a visibility, a history): a
contributor's is a draft it owns and reviews; an editor reviews any. Each
proposal keeps what the extractor said (``data``, in the shared shape), the
sentence and offsets it comes from, the record it matched, and, once reviewed,
who decided, when, and the record it became or was linked to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.core.fields import PartialDateField
from passerelle.core.models import Language, Record, Source
from passerelle.core.querysets import DependentQuerySet


class Submission(Record):
    """A press release, a news item or a page, pasted or uploaded for extraction."""

    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    published = PartialDateField(_("published"))
    media = models.CharField(_("read from"), max_length=10, default="text")
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("source"),
        help_text=_("The source the accepted proposals cite (made at the first acceptance)."),
    )
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name = _("text to extract from")
        verbose_name_plural = _("texts to extract from")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class ProposalQuerySet(DependentQuerySet):
    """Read and reviewed by whoever reads and changes the submission."""

    holders = ("submission",)


class Proposal(models.Model):
    """One organization, person, place or activity the text states, awaiting review."""

    class Type(models.TextChoices):
        ORGANIZATION = "organization", _("organization")
        PERSON = "person", _("person")
        PLACE = "place", _("place")
        ACTIVITY = "activity", _("activity")

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("text"),
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_("Edit it before accepting if the text says it amiss."),
    )
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    data = models.JSONField(_("as extracted"), default=dict)
    sentence = models.TextField(_("sentence"), blank=True)
    start = models.PositiveIntegerField(_("from character"), default=0)
    end = models.PositiveIntegerField(_("to character"), default=0)
    fingerprint = models.CharField(_("fingerprint"), max_length=300, db_index=True)
    match_uid = models.UUIDField(_("matches record"), null=True, blank=True)
    match_name = models.CharField(_("matches"), max_length=300, blank=True)
    match_score = models.FloatField(_("match score"), null=True, blank=True)
    match_reasons = models.CharField(_("why"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    record_uid = models.UUIDField(_("record"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed = models.DateTimeField(_("reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.name}"
