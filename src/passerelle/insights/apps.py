from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "passerelle.insights"
    label = "insights"
    verbose_name = _("Insights and figures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import figures_admin

        figures_admin.install()  # the back office's figures page
