"""The search index: one row per record, its words already analysed (search.text), its facets.

The rows live in the records' own database and are written in the same
transaction as the record, so that index and records cannot disagree after a
commit or a rollback. Matching runs on each database's full-text engine over
the ``names`` and ``words`` columns (SQLite FTS5, PostgreSQL tsvector; see
search.backends); everything else is plain columns the ORM filters.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("organizations")
        PERSON = "person", _("people")
        ACTIVITY = "activity", _("activities")
        TOPIC = "topic", _("topics")
        PLACE = "place", _("places")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    uid = models.UUIDField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    # French, where it differs from the English above (a topic's, a country's, a kind's name)
    title_fr = models.CharField(max_length=300, blank=True)
    summary_fr = models.TextField(blank=True)
    names = models.TextField(blank=True, help_text="Name tokens, unstemmed (search.text).")
    words = models.TextField(blank=True, help_text="Stems of the running text (search.text).")
    # facets
    subkind = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, db_index=True)
    year_start = models.PositiveSmallIntegerField(null=True)
    year_end = models.PositiveSmallIntegerField(null=True)
    topics = models.TextField(blank=True, help_text="Topic slugs, space-separated and framed.")
    roles = models.TextField(blank=True, help_text="Roles taken, space-separated and framed.")
    in_region = models.BooleanField(default=False)
    activities = models.PositiveIntegerField(
        default=0, help_text="An actor's activities, in all: matchmaking weighs a hub's focus."
    )
    # who may see it: a copy of the record's own, for core.visibility.entries_visible_to
    visibility = models.CharField(max_length=12, db_index=True)
    owner_id = models.BigIntegerField(null=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="entry_once")
        ]
        indexes = [models.Index(fields=["kind", "visibility"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.shown_title}"

    @property
    def shown_title(self) -> str:
        """The title in the active language (French where the record has one)."""
        return self.title_fr if self.title_fr and _french() else self.title

    @property
    def shown_summary(self) -> str:
        return self.summary_fr if self.summary_fr and _french() else self.summary


def _french() -> bool:
    return (get_language() or "en").startswith("fr")


class SearchTerm(models.Model):
    """Every token the index has seen: where a query's word matches nothing, its nearest
    terms here are tried instead (trigram similarity on PostgreSQL, rapidfuzz on SQLite).
    Terms are only added: a term no record holds any more just matches nothing."""

    term = models.CharField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class Embedding(models.Model):
    """A record's sentence embedding, computed by a task when the semantic extra is
    installed. ``digest`` is that of the text embedded: unchanged text is not embedded again.
    ``entry_updated`` is the entry's ``updated`` as read when it was embedded: an entry whose
    ``updated`` differs waits for the next run (``semantic.waiting``), with no clock compared."""

    entry = models.OneToOneField(SearchEntry, on_delete=models.CASCADE, related_name="embedding")
    model = models.CharField(max_length=100)
    digest = models.CharField(max_length=32)
    entry_updated = models.DateTimeField(null=True)
    vector = models.BinaryField(help_text="float32, normalized to length 1.")

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")

    def __str__(self) -> str:
        return f"{self.model} of {self.entry_id}"


def entry_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)
