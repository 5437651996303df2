from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "passerelle.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core import changes

        from .report import admin_page

        changes.watch(self.label)  # the portal's texts are part of its pages
        admin_page.install()  # the back office's annual report page
