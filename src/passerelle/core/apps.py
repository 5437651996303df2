from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "passerelle.core"
    label = "core"
    verbose_name = _("Sources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import changes

        changes.connect()
