from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "passerelle.ingest"
    label = "ingest"
    verbose_name = _("Imports and identity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core.desk import register_source
        from passerelle.core.spreadsheets import register_sheet

        from .desk import import_conflicts
        from .sheets import RESOURCES

        register_source(
            "import_conflicts",
            _("Import conflicts to review"),
            import_conflicts,
            order=50,
            owners=tuple,
        )  # no one owns a conflict: it is mailed to those who decide
        # the back office of registry and activities finds them there (core.spreadsheets)
        for resource in RESOURCES.values():
            register_sheet(resource)
