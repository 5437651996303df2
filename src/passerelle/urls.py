from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from passerelle.api.api import api
from passerelle.core.health import metrics
from passerelle.portal import opendata
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
    # open data: records' IRIs, the vocabulary, the dataset's files (the same in every language)
    path("id/<str:kind>/<uuid:uid>", opendata.resolve, name="record-iri"),
    path("ns", opendata.namespace_document, name="namespace"),
    path("ns/shapes", opendata.shapes_document, name="shapes"),
    path(
        "open-data/passerelle.ttl", opendata.dataset_file, {"format": "turtle"}, name="dataset-ttl"
    ),
    path(
        "open-data/passerelle.jsonld",
        opendata.dataset_file,
        {"format": "jsonld"},
        name="dataset-jsonld",
    ),
    path("open-data/<slug:table>.csv", opendata.table_file, name="dataset-table"),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("passerelle.portal.urls")),
    prefix_default_language=True,
)

# a missing page is the portal's own, in the language of its address
handler404 = "passerelle.portal.views.page_not_found"
