"""What every record shares: a stable id, a visibility, sources, a history.

Records are exchanged between databases (JSON export and import, and later
other Passerelle instances), so each carries a UUID that never changes, beside
the integer key the database joins on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dates import check_interval, display_interval
from .fields import PartialDateField
from .querysets import CitationQuerySet, RecordQuerySet


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


def _kept(value):
    """A list a field holds is copied: changed in place, it must still differ from this."""
    return list(value) if isinstance(value, list) else value


class Remembered:
    """Keeps the values a row had when read, so that a save can tell which fields moved
    (core.dependencies renews only what depends on them): one tuple per row read."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        fields = cls._meta.concrete_fields
        if len(values) == len(fields):  # Django passes them in the fields' order
            names = cls.__dict__.get("_remembered_names")
            if names is None:
                names = tuple(f.attname for f in fields)
                cls._remembered_names = names
        else:
            names = tuple(f.attname for f in fields if f.attname in field_names)
        # as the fields hold them (a multiple country field turns "" into a list)
        held = instance.__dict__
        values = tuple(_kept(held.get(name)) for name in names)
        instance.__dict__["_loaded_values"] = (names, values)
        return instance


class Record(Remembered, models.Model):
    """Abstract base of every first-class record.

    A record a contributor creates is a *draft* that they own: they may change
    it until an editor publishes it, and it cannot be public before then (a
    database constraint, so that no join anywhere can let a draft reach the
    portal). A confidential record is read by its owner, by the users and
    groups named as its readers, and by administrators.
    """

    uid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        db_index=True,
    )
    draft = models.BooleanField(
        _("draft"),
        default=False,
        db_default=False,  # bulk loaders insert rows without naming it
        db_index=True,
        help_text=_("Created by a contributor and not yet published by an editor."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_(
            "Who created the record in Passerelle; owners read their confidential "
            "records and change their drafts."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    citations = GenericRelation("core.Citation")
    readers = GenericRelation("core.Reader")

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        #: the drafts awaiting an editor, oldest first (the desk's list), without a scan of
        #: every record: a model that sets its own indexes lists these first
        indexes = [
            models.Index(
                fields=["updated", "id"],
                condition=Q(draft=True),
                name="%(app_label)s_%(class)s_drafts",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(draft=True, visibility="public"),
                name="%(app_label)s_%(class)s_draft_not_public",
                violation_error_message=_("A draft cannot be public before it is published."),
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.draft and self.visibility == Visibility.PUBLIC:
            raise ValidationError(
                {
                    "visibility": ValidationError(
                        _(
                            "«%(record)s» is a draft: an editor publishes it before it can be "
                            "public."
                        )
                        % {"record": self},
                        code="draft_public",  # a code set beside a dict is dropped
                    )
                }
            )


class Interval(Remembered, models.Model):
    """Abstract mixin for what holds over a period known at some precision."""

    start = PartialDateField(_("start"))
    end = PartialDateField(_("end"))

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        problem = check_interval(self.start, self.end)
        if problem:
            raise ValidationError({"end": ValidationError(f"{self}: {problem}", code="interval")})

    @property
    def interval_display(self) -> str:
        return display_interval(self.start, self.end)


#: For each language, the languages a text is looked for in: it first, then the others
#: (worked out once: ``Language.values`` builds its list anew on every read, and every
#: title and name shown goes through ``localized``).
_LOOKED_FOR = {code: (code, *(c for c in Language.values if c != code)) for code in Language.values}


def localized(record: models.Model, field: str, language: str) -> str:
    """``record.<field>_<language>``, falling back to the other language, else ""."""
    order = _LOOKED_FOR.get(language) or (language, *Language.values)
    for code in order:
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
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                _("Give the language as a code in lower case: en, fr, de."),
            )
        ],
        help_text=_(
            "The language the source is written in (ISO 639-1 code: en, fr, de), so that "
            "its quotations are marked as such on pages in another language."
        ),
    )
    published = PartialDateField(_("published"))
    accessed = PartialDateField(_("read on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta(Record.Meta):
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

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.source}: “{self.quotation[:60]}”" if self.quotation else str(self.source)


class Reader(models.Model):
    """A user or a group named to read one confidential record.

    One table for every kind of record, like citations: the visibility rule
    asks it with one EXISTS whatever the record is.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("group"),
    )

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers (of confidential records)")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="reader_user_or_group",
                violation_error_message=_("A reader is one user or one group."),
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="reader_user_once"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "group"], name="reader_group_once"
            ),
        ]
        permissions = [
            ("publish_record", _("Can publish drafts")),
            ("read_every_record", _("Can read every confidential record")),
        ]

    def __str__(self) -> str:
        return str(self.user or self.group)


class DependencyVersion(models.Model):
    """The version of one key cached pages depend on (core.dependencies), where the cache
    is files on disk: one row a key, read for many keys in one query, written in one
    upsert, never culled (a file cache keeps a few hundred entries and lists its folder
    on every write). With Redis the versions live in the cache instead."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("dependency version")
        verbose_name_plural = _("dependency versions")

    def __str__(self) -> str:
        return f"{self.key} {self.version}"
