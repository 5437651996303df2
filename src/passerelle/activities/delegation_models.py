"""A delegation's agenda and its follow-up actions.

Minutes systems give an action an owner, a due date, a status and a closing; none ties
the action to what it produced. Here a done action names the activity it led to (an
agreement signed, a project started), so that "the Senegalese delegation explored
partnerships" can end in "→ agreement signed". Both hang off their delegation and are
read and changed by its rule (``rules.DelegationPartQuerySet``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.core.models import localized

from .followups import follow_up_problems
from .rules import DelegationPartQuerySet
from .vocabulary import FollowUpStatus, Kind


def _delegation_problem(part) -> dict:
    if part.delegation_id and part.delegation.kind != Kind.DELEGATION:
        return {
            "delegation": _("«%(activity)s» is not a delegation.") % {"activity": part.delegation}
        }
    return {}


class AgendaItem(models.Model):
    """One meeting of a visit: when, where, who meets whom, on what."""

    uid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    delegation = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="agenda",
        verbose_name=_("delegation"),
    )
    day = models.DateField(_("day"), null=True, blank=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    meeting = models.CharField(
        _("who meets whom"), max_length=300, help_text=_("“The delegation meets CLARA's team”.")
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = DelegationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["delegation", "day", "time", "position", "pk"]

    def __str__(self) -> str:
        return self.meeting

    def clean(self) -> None:
        super().clean()
        problems = _delegation_problem(self)
        if problems:
            raise ValidationError(problems)


class FollowUp(models.Model):
    """An action a delegation left to do: what, who carries it, by when, and what it led to."""

    uid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    delegation = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("delegation"),
    )
    action_en = models.CharField(_("action (English)"), max_length=300)
    action_fr = models.CharField(_("action (French)"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # actions carried over from the old free text may have none yet
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("owner"),
        help_text=_("Who carries the action."),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    result = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="produced_by",
        verbose_name=_("led to"),
        help_text=_("When done: the activity it produced (an agreement signed, a project)."),
    )
    citations = GenericRelation("core.Citation")
    history = HistoricalRecords()

    objects = DelegationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["delegation", "due", "pk"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self) -> str:
        return self.action

    @property
    def action(self) -> str:
        return localized(self, "action", (get_language() or "en")[:2])

    def clean(self) -> None:
        super().clean()
        problems = {**_delegation_problem(self), **follow_up_problems(self)}
        if problems:
            raise ValidationError(problems)
