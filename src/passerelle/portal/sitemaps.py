"""sitemap.xml: every public page, in both languages, with its alternate-language links."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django_countries.fields import Country

from passerelle.activities.models import Activity
from passerelle.core.visibility import public
from passerelle.registry.models import Organization, Person, Topic

from .pages import countries_index
from .references import url_of


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    # no x-default: every address carries its language, and "/activities/…" does not exist
    #: Addresses a sitemap page lists (a record counts once a language), each with its
    #: alternates: 2,000 keep a page quick enough to compute for the cache.
    limit = 2000

    def location(self, item) -> str:
        return url_of(item)


class PagesSitemap(PortalSitemap):
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "home",
            "international-relations",
            "map",
            "network",
            "timeline",
            "countries",
            "topics",
            "organizations",
        ]

    def location(self, item: str) -> str:
        return reverse(f"portal:{item}")


class RecordSitemap(PortalSitemap):
    model = None

    def items(self) -> QuerySet:
        return public(self.model.objects.all()).order_by("pk")

    def lastmod(self, item):
        return item.updated


class OrganizationSitemap(RecordSitemap):
    model = Organization


class PersonSitemap(RecordSitemap):
    model = Person


class ActivitySitemap(RecordSitemap):
    model = Activity


class TopicSitemap(RecordSitemap):
    model = Topic


class CountrySitemap(PortalSitemap):
    def items(self) -> list[Country]:
        return [Country(c["code"]) for c in countries_index()["countries"]]


SITEMAPS = {
    "pages": PagesSitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
    "activities": ActivitySitemap,
    "topics": TopicSitemap,
    "countries": CountrySitemap,
}
