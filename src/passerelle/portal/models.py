"""What staff decide about the public pages: section order, featured activities, introductions.

The records say what happened; these say how the public window tells it. They are
versioned like records, so that a change to the public page can be traced and undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.activities.models import Activity
from passerelle.core.models import Language
from passerelle.core.querysets import EditorialQuerySet


class FeaturedQuerySet(EditorialQuerySet):
    """Featured activities: changed by editors only; read when the activity is."""

    references = ("activity",)


#: The sections of the International relations page, in their default order.
SECTIONS: list[tuple[str, object]] = [
    ("networks", _("International projects and networks")),
    ("clusters", _("Collaborative programs with other clusters")),
    ("europe", _("European programs")),
    ("agreements", _("Partnership agreements")),
    ("delegations", _("Delegations")),
    ("thematic", _("Thematic collaborations")),
    ("events", _("Symposia and events")),
    ("countries", _("Country programs")),
]


class Worded(models.Model):
    """Abstract: a headline and a lede staff write, per language, over what is composed.

    What staff write wins, language by language; a language left blank shows what is
    composed in it (never the other language's text), and the back office says so.
    """

    headline_en = models.CharField(_("headline (English)"), max_length=200, blank=True)
    headline_fr = models.CharField(_("headline (French)"), max_length=200, blank=True)
    lede_en = models.TextField(
        _("lede (English)"),
        blank=True,
        help_text=_("A sentence or two under the headline; it replaces what is composed."),
    )
    lede_fr = models.TextField(_("lede (French)"), blank=True)

    class Meta:
        abstract = True

    def written(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}", "").strip()

    def untranslated(self) -> list[str]:
        """The languages in which staff wrote nothing where they wrote in the other one."""
        missing = []
        for field in ("headline", "lede"):
            values = {code: self.written(field, code) for code in Language.values}
            if any(values.values()):
                missing += [code for code, value in values.items() if not value]
        return sorted(set(missing))


class SectionSetting(Worded):
    """Where a section of the International relations page comes, whether it shows, and
    the headline and lede staff gave it."""

    key = models.CharField(_("section"), max_length=20, choices=SECTIONS, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    shown = models.BooleanField(_("shown"), default=True)
    history = HistoricalRecords()

    objects = EditorialQuerySet.as_manager()

    class Meta:
        verbose_name = _("section of the International relations page")
        verbose_name_plural = _("sections of the International relations page")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return str(self.get_key_display())


class FeaturedActivity(models.Model):
    """An activity staff put first in its section and on the portal's home page."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="feature", verbose_name=_("activity")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = FeaturedQuerySet.as_manager()

    class Meta:
        verbose_name = _("featured activity")
        verbose_name_plural = _("featured activities")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.activity)


class ActivityWording(Worded):
    """The headline and lede staff gave an activity on the International relations page."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="wording", verbose_name=_("activity")
    )
    history = HistoricalRecords()

    objects = FeaturedQuerySet.as_manager()

    class Meta:
        verbose_name = _("wording of an activity")
        verbose_name_plural = _("wordings of activities")
        ordering = ["activity__title_en", "pk"]

    def __str__(self) -> str:
        return str(self.activity)


class Introduction(models.Model):
    """The opening paragraphs of a public page, written per language by staff."""

    class Page(models.TextChoices):
        HOME = "home", _("home page")
        INTERNATIONAL_RELATIONS = "international-relations", _("International relations")

    page = models.CharField(_("page"), max_length=30, choices=Page.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text = models.TextField(
        _("text"), help_text=_("Plain text; a blank line starts a new paragraph.")
    )
    history = HistoricalRecords()

    objects = EditorialQuerySet.as_manager()

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["page", "language"]
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="one_introduction_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.get_page_display()} ({self.language})"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


class Report(models.Model):
    """An annual report as it was made: a snapshot of one version of the records.

    It keeps the file itself, the records' version it was made from (core.changes) and
    when and by whom, so that what was sent to a funder can be shown again as it was.
    """

    class Format(models.TextChoices):
        HTML = "html", "HTML"
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    version = models.CharField(_("records' version"), max_length=40)
    made_at = models.DateTimeField(_("made at"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("file"))

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"{self.year} ({self.language}, {self.format})"


# a model of this app kept in its own module
from .opendata_models import OpenDataSetting  # noqa: E402, F401
