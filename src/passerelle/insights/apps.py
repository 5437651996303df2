"""Insights: the network measured (degree, betweenness, constraint, communities, brokerage
roles) and the figures funders ask for, computed from the records for the pages, the
reports and the command line above it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "passerelle.insights"
    label = "insights"
    verbose_name = _("Insights and figures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passerelle.core.backoffice import add_site_urls

        from . import figures_admin, pages

        add_site_urls("figures", figures_admin.urls)
        add_site_urls("insights", pages.urls)
