"""What every record shares: a stable id, a visibility, sources, a history.

Records are exchanged between databases (JSON export and import, and later
other Passerelle instances), so each carries a UUID that never changes, beside
the integer key the database joins on.
"""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dates import check_interval, display_interval
from .fields import PartialDateField


class Visibility(models.TextChoices):
    """Who may read a record.

    Public records appear on the portal and in the anonymous API; internal ones
    are for the cluster's staff; confidential ones (negotiations, personal
    data) for named people only.
    """

    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    CONFIDENTIAL = "confidential", _("confidential")


class Language(models.TextChoices):
    """The languages in which Passerelle writes names, titles and summaries."""

    EN = "en", _("English")
    FR = "fr", _("French")


class Record(models.Model):
    """Abstract base of every first-class record."""

    uid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        db_index=True,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    citations = GenericRelation("core.Citation")

    class Meta:
        abstract = True


class Interval(models.Model):
    """Abstract mixin for what holds over a period known at some precision."""

    start = PartialDateField(_("start"))
    end = PartialDateField(_("end"))

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        problem = check_interval(self.start, self.end)
        if problem:
            raise ValidationError({"end": f"{self}: {problem}"}, code="interval")

    @property
    def interval_display(self) -> str:
        return display_interval(self.start, self.end)


def localized(record: models.Model, field: str, language: str) -> str:
    """``record.<field>_<language>``, falling back to the other language, else ""."""
    for code in (language, *(c for c in Language.values if c != language)):
        value = getattr(record, f"{field}_{code}", "")
        if value:
            return value
    return ""


class Source(Record):
    """Where facts come from: a web page, a document, a registry."""

    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True)
    document = models.CharField(
        _("document"),
        max_length=300,
        blank=True,
        help_text=_("File name or reference of a document without an address."),
    )
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    published = PartialDateField(_("published"))
    accessed = PartialDateField(_("read on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if not self.url and not self.document:
            raise ValidationError(
                {
                    "url": _("Source «%(title)s»: give an address or a document.")
                    % {"title": self.title}
                }
            )


class Citation(models.Model):
    """A record or a participation cites a source, with the words that support it."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    cited = GenericForeignKey("content_type", "object_id")
    quotation = models.TextField(
        _("quotation"), blank=True, help_text=_("The sentence of the source that states the fact.")
    )
    locator = models.CharField(
        _("where in the source"),
        max_length=200,
        blank=True,
        help_text=_("Page, section or heading."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.source}: “{self.quotation[:60]}”" if self.quotation else str(self.source)
