"""What staff decide about the open dataset: under which licence it is published.

One row (``OpenDataSetting.current()``), versioned like the portal's other settings so
that a change of licence can be traced. Left blank, the open-data page says that no
licence has been set, rather than implying one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.core.querysets import EditorialQuerySet


class OpenDataSetting(models.Model):
    """The licence of the open dataset and how to credit it."""

    licence_name = models.CharField(
        _("licence"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Licence Ouverte / Open Licence 2.0, or CC BY 4.0."),
    )
    licence_url = models.URLField(
        _("licence address"), max_length=300, blank=True, help_text=_("The licence's text.")
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("How reusers credit the dataset, e.g. “CLARA, Passerelle open data”."),
    )
    history = HistoricalRecords()

    objects = EditorialQuerySet.as_manager()

    class Meta:
        verbose_name = _("open data setting")
        verbose_name_plural = _("open data settings")

    def __str__(self) -> str:
        return str(_("Open data: %(licence)s") % {"licence": self.licence_name or _("no licence")})

    @classmethod
    def current(cls) -> OpenDataSetting:
        """The one row (made on first use, if the migration's was deleted)."""
        return cls.objects.order_by("pk").first() or cls.objects.create()
