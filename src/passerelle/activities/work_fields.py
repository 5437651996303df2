"""The fields of an activity that the officer's daily work adds: a series' rotation and
cadence, a delegation's outcomes, an exchange's status and duration.

They are an abstract model that ``Activity`` inherits, so that ``models.py`` stays the
shape of activities and these stay beside the logic that reads them (``series.py``,
``exchanges.py``, ``followups.py``). Like every kind-specific field they are listed in
``models.KIND_FIELDS``: a delegation has no cadence, a seminar no exchange status.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from passerelle.core.fields import CountryField

from .vocabulary import Cadence, ExchangeStatus


class WorkFields(models.Model):
    # series of events
    cadence = models.CharField(
        _("cadence"),
        max_length=10,
        choices=Cadence.choices,
        blank=True,
        help_text=_("For a series: how often its editions are held."),
    )
    rotation_countries = CountryField(
        _("hosted in turn by"),
        multiple=True,
        blank=True,
        help_text=_(
            "For a series: the countries that host its editions in turn, in this order "
            "(at least two)."
        ),
    )
    # delegations
    outcomes_en = models.TextField(_("outcomes (English)"), blank=True)
    outcomes_fr = models.TextField(_("outcomes (French)"), blank=True)
    # exchanges
    exchange_status = models.CharField(
        _("exchange status"), max_length=10, choices=ExchangeStatus.choices, blank=True
    )
    duration_months = models.DecimalField(
        _("duration (months)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("How long each person stays; read from the dates when they are days."),
    )

    class Meta:
        abstract = True
