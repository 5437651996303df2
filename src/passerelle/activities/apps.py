from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "passerelle.activities"
    label = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core import changes, desk

        from .desk_sources import agreement_items, commitment_items

        changes.watch(self.label)  # cached pages and counts are made of these records
        desk.register_source("commitments", _("Commitments"), commitment_items, order=20)
        desk.register_source("agreements", _("Agreements"), agreement_items, order=10)
