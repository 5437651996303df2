from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from passerelle.api.api import api
from passerelle.core.health import metrics
from passerelle.portal.caching import cached_page
from passerelle.portal.sitemaps import SITEMAPS
from passerelle.portal.views import world_map

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        cached_page(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
    ),
    path("sitemap-<section>.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("world.svg", world_map, name="world-map"),
    path("metrics", metrics, name="metrics"),
    path("api/", api.urls),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("passerelle.portal.urls")),
    prefix_default_language=True,
)

# a missing page is the portal's own, in the language of its address
handler404 = "passerelle.portal.views.page_not_found"
