"""What the network's measures leave behind for the pages: one stored result per reader's
scope and year, and one row per actor of it.

Measures take seconds to minutes on a large network; pages must answer in milliseconds.
So they are computed by a task (insights.tasks), from the records of one content version
(core.changes), and kept here: a page reads the stored result, and when the records have
changed since, shows it with its age while the task computes the new one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    PUBLIC = "public", _("public records")
    STAFF = "staff", _("what every member of staff reads")


class NetworkMeasures(models.Model):
    """The measures of the tie graph one reader's scope reads, for a year or every year."""

    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), default=0, help_text=_("0: every year together.")
    )
    version = models.CharField(_("records' version"), max_length=40)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds to compute"), default=0)
    #: counts, modularity, communities, growth per year, timings (insights.store.summary)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("network measures")
        verbose_name_plural = _("network measures")
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="network_measures_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.year or '*'} @ {self.version}"


class ActorMeasures(models.Model):
    """One actor's measures in one result. The actor is named by its kind and id, not by a
    foreign key: a result outlives the records it was computed from (it is shown stale
    while the next is computed), and what a page shows of it is read again through the
    reader's rule."""

    measures = models.ForeignKey(NetworkMeasures, on_delete=models.CASCADE, related_name="actors")
    rank = models.PositiveIntegerField(help_text="Brokers of the region's ties abroad first.")
    organization_id = models.BigIntegerField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    in_region = models.BooleanField(default=False)
    degree = models.PositiveIntegerField(default=0)
    strength = models.PositiveIntegerField(default=0)
    betweenness = models.FloatField(default=0)
    constraint = models.FloatField(null=True, blank=True)
    community = models.PositiveIntegerField(default=0)
    #: role -> open two-paths, with the region as the group, and with the country
    brokerage = models.JSONField(default=dict)
    country_brokerage = models.JSONField(default=dict)
    #: partners outside the region it links to the region's members they are not tied to,
    #: and members of the region it so links to partners outside (brokerage.bridged)
    #: None where the graph had too many triangles to list (insights.brokerage)
    links_outside = models.PositiveIntegerField(null=True, blank=True)
    links_inside = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("actor's measures")
        verbose_name_plural = _("actors' measures")
        ordering = ["measures", "rank"]
        indexes = [
            models.Index(fields=["measures", "rank"], name="actor_measures_rank"),
            models.Index(fields=["measures", "organization_id"], name="actor_measures_org"),
        ]

    def __str__(self) -> str:
        actor = (
            f"organization {self.organization_id}"
            if self.organization_id
            else (f"person {self.person_id}")
        )
        return f"{actor} #{self.rank + 1}"
