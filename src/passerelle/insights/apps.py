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
        from django.contrib import admin

        from . import pages

        # the Insights page, beside the site's other addresses on Unfold's hook (core's desk)
        before = getattr(admin.site, "extra_urls", None) or list

        def extra_urls() -> list:
            return [*before(), *pages.urls()]

        admin.site.extra_urls = extra_urls
