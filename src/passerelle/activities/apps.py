from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "passerelle.activities"
    label = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core import changes, desk

        from .desk_sources import agreement_items, agreement_owners, commitment_items
        from .followups import due_follow_ups, follow_up_owners
        from .series import rotation_items, series_owners
        from .tally_receivers import connect as keep_tallies

        changes.watch(self.label)  # cached pages and counts are made of these records
        keep_tallies()
        desk.register_source(
            "agreements", _("Agreements ending"), agreement_items, order=10, cached=True,
            owners=agreement_owners,
        )  # fmt: skip
        desk.register_source(
            "commitments", _("Commitments"), commitment_items, order=20, slow=True,
            owners=agreement_owners,
        )  # fmt: skip
        desk.register_source(
            "follow_ups", _("Follow-up actions"), due_follow_ups, order=30, cached=True,
            owners=follow_up_owners,
        )  # fmt: skip
        desk.register_source(
            "series_rotation",
            _("Editions off their series' rotation"),
            rotation_items,
            order=80,
            cached=True,
            owners=series_owners,
        )
