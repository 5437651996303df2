"""sitemap.xml: every public page, in both languages, with its alternate-language links."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse
from django_countries.fields import Country

from passerelle.activities.models import Activity
from passerelle.core.visibility import public
from passerelle.registry.models import Organization, Person, Topic

from .pages import countries_index
from .references import url_of


class LanguagePairs(Sequence):
    """(record, language) pairs of a queryset, read a page at a time.

    Django's i18n sitemaps build the list of every pair before paginating it,
    which reads all 100k activities for any page of the sitemap (3 s a page).
    """

    def __init__(self, records: QuerySet, languages: list[str]) -> None:
        self.records, self.languages = records, languages
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.records.count() * len(self.languages)
        return self._count

    def __getitem__(self, index):
        width = len(self.languages)
        if isinstance(index, slice):
            start, stop, _step = index.indices(len(self))
            first, last = start // width, (stop + width - 1) // width
            pairs = [(r, lang) for r in self.records[first:last] for lang in self.languages]
            return pairs[start - first * width : stop - first * width]
        record = self.records[index // width]
        return record, self.languages[index % width]


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

    def _items(self):
        return LanguagePairs(self.items(), self._languages())

    def lastmod(self, item):
        return item.updated

    def get_latest_lastmod(self):
        # one MAX() rather than Django's loop over every record
        return self.items().aggregate(latest=Max("updated"))["latest"]


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
