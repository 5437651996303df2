"""The tables of the maintained tallies (see activities.tallies).

Plain ids rather than foreign keys with constraints: a tally row outlives, for the length
of a transaction, the participation or the organization it counted (a cascade deletes
those first and the tally catches up right after), and the tallies never block a delete.
"""

from __future__ import annotations

from django.db import models

from passerelle.registry.models import Organization, Place


class TallyMember(models.Model):
    """An organization counted as a public partner of a public activity, as last tallied:
    what the incremental update compares the records with, so that it knows what to take
    off the counts when a partner leaves, a visibility changes or an activity is deleted."""

    activity_id = models.BigIntegerField()
    organization_id = models.BigIntegerField(db_index=True)
    #: Where the map puts this partner: its place when public and outside the region.
    place_id = models.BigIntegerField(null=True)
    #: The partner's public participations in the activity (it may hold several roles).
    participations = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity_id", "organization_id"], name="tally_member")
        ]

    def __str__(self) -> str:
        return f"organization {self.organization_id} in activity {self.activity_id}"


class OrganizationTally(models.Model):
    """An organization's public activities and public participations."""

    organization = models.OneToOneField(
        Organization,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="tally",
    )
    activities = models.PositiveIntegerField()
    participations = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["-activities", "organization"], name="tally_busiest")]

    def __str__(self) -> str:
        return f"organization {self.organization_id}: {self.activities} activities"


class PlaceTally(models.Model):
    """The public activities of the partners outside the region that are based at a place."""

    place = models.OneToOneField(
        Place,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="tally",
    )
    activities = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"place {self.place_id}: {self.activities} activities"


class TieTally(models.Model):
    """Two organizations (``organization_a`` < ``organization_b``) and the public activities
    they took part in together."""

    organization_a = models.BigIntegerField()
    organization_b = models.BigIntegerField(db_index=True)
    activities = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization_a", "organization_b"], name="tally_tie")
        ]

    def __str__(self) -> str:
        return f"{self.organization_a} and {self.organization_b}: {self.activities} activities"
