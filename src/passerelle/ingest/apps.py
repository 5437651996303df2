from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "passerelle.ingest"
    label = "ingest"
    verbose_name = _("Imports and identity")
    default_auto_field = "django.db.models.BigAutoField"
