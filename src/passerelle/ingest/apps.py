from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "passerelle.ingest"
    label = "ingest"
    verbose_name = _("Imports and identity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core.spreadsheets import register_sheet

        from .sheets import RESOURCES

        # the back office of registry and activities finds them there (core.spreadsheets)
        for resource in RESOURCES.values():
            register_sheet(resource)
