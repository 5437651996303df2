from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "passerelle.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core import changes
        from passerelle.core.backoffice import add_site_urls

        from . import dependencies
        from .report import admin_page

        changes.watch(self.label)  # the portal's texts are part of its pages
        dependencies.connect()  # which pages an edit to a record renews
        add_site_urls("annual-report", admin_page.urls)  # the back office's annual report page
