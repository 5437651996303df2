from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "passerelle.activities"
    label = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core import changes
        from passerelle.core.desk import register_source

        from .desk import agreements_expiring

        changes.watch(self.label)  # cached pages and counts are made of these records
        # a fallback: the agreements' lifecycle registers a richer "agreements" source
        register_source(
            "agreements",
            _("Agreements ending"),
            agreements_expiring,
            order=10,
            fallback=True,
        )
