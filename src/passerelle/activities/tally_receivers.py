"""What keeps the tallies (activities.tallies) with the records: the saves and deletes of
participations and activities, the visibility, place or region of an organization or a
place, and the bulk loads that bypass save() (rebuilt whole)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from passerelle.core.dependencies import changed_fields, loaded_values, remember
from passerelle.core.signals import records_bulk_loaded
from passerelle.registry.models import Organization, Place

from . import tallies
from .models import Activity, Participation

#: The fields of an organization that decide where and whether it counts.
ORGANIZATION_FIELDS = {"visibility", "place_id", "in_region"}


def _read_before(sender, instance, **kwargs) -> None:
    """What moved, read before the save: after it, core.dependencies remembers the values
    now stored (its receiver runs before these)."""
    adding = instance._state.adding
    instance.__dict__["_tally_changed"] = None if adding else changed_fields(instance)
    instance.__dict__["_tally_activity"] = (loaded_values(instance) or {}).get("activity_id")


def _changed(instance) -> set[str] | None:
    """What _read_before found moved; and from now on, the values saved are the ones the
    next save compares with (core.dependencies remembers them only for the models it maps)."""
    remember(instance)
    return instance.__dict__.pop("_tally_changed", None)


def _participation_changed(sender, instance: Participation, **kwargs) -> None:
    before = instance.__dict__.pop("_tally_activity", None)
    if kwargs.get("signal") is post_save:
        _changed(instance)
    tallies.retally({instance.activity_id, before})


def _activity_changed(sender, instance: Activity, created: bool = False, **kwargs) -> None:
    changed = _changed(instance)
    if created or changed is None or "visibility" in changed:
        tallies.retally([instance.pk])


def _activity_deleted(sender, instance: Activity, **kwargs) -> None:
    tallies.retally([instance.pk])


def _organization_changed(sender, instance: Organization, created: bool = False, **kwargs) -> None:
    changed = _changed(instance)
    if created or tallies.is_suspended():
        return  # a new organization takes part in nothing yet
    if changed is None or changed & ORGANIZATION_FIELDS:
        tallies.retally(tallies.activities_of_organizations([instance.pk]))


def _place_changed(sender, instance: Place, created: bool = False, **kwargs) -> None:
    changed = _changed(instance)
    if created or tallies.is_suspended():
        return
    if changed is None or "visibility" in changed:
        based = Organization.objects.filter(place=instance).values_list("pk", flat=True)
        tallies.retally(tallies.activities_of_organizations(list(based)))


def _bulk_loaded(sender, models=(), **kwargs) -> None:
    if tallies.is_suspended():
        return
    if not models or set(models) & {Activity, Participation, Organization, Place}:
        tallies.rebuild()


def connect() -> None:
    """Wired once, by ActivitiesConfig.ready()."""
    for model in (Participation, Activity, Organization, Place):
        pre_save.connect(_read_before, sender=model, dispatch_uid=f"tally-before-{model.__name__}")
    post_save.connect(_participation_changed, sender=Participation, dispatch_uid="tally-part")
    post_delete.connect(_participation_changed, sender=Participation, dispatch_uid="tally-part-d")
    post_save.connect(_activity_changed, sender=Activity, dispatch_uid="tally-activity")
    post_delete.connect(_activity_deleted, sender=Activity, dispatch_uid="tally-activity-d")
    post_save.connect(_organization_changed, sender=Organization, dispatch_uid="tally-org")
    post_save.connect(_place_changed, sender=Place, dispatch_uid="tally-place")
    records_bulk_loaded.connect(_bulk_loaded, dispatch_uid="tally-bulk")
