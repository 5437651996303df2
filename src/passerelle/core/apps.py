from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "passerelle.core"
    label = "core"
    verbose_name = _("Sources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin

        from . import backoffice, changes, dependencies, deskpage
        from .awaiting import drafts_awaiting_an_editor
        from .desk import register_source

        changes.connect()
        dependencies.connect()
        # the apps' own back-office pages, on Unfold's hook for a site's own addresses
        admin.site.extra_urls = backoffice.site_urls
        backoffice.add_site_urls("desk", deskpage.urls)
        register_source(
            "drafts",
            _("Drafts awaiting an editor"),
            drafts_awaiting_an_editor,
            order=40,
            cached=True,
            owners=tuple,
        )  # a draft has no owner: it is mailed to those who decide
