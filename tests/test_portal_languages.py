"""Every portal page in both languages: numbers that stay numbers, a description, a 404 of its own.

French writes 511,5 where English writes 511.5; a picture's coordinates must not
follow, or a French page draws nothing. Each page pairs with its other language
through the sitemap's alternates, so the checks reach every page the site lists.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from passerelle.activities.models import Activity
from passerelle.portal.models import SECTIONS

#: SVG and HTML attributes that hold numbers (path data, ``d``, is compared, not parsed).
NUMERIC = {"cx", "cy", "r", "x", "y", "x1", "y1", "x2", "y2", "dx", "dy", "width", "height"}
NUMERIC |= {"viewbox", "stroke-width", "font-size", "points", "transform", "d"}
COMMA_DECIMAL = re.compile(r"\d,\d")


class Drawing(HTMLParser):
    """The numbers a page draws with, and what its head says about it."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside how many <svg>
        self.drawn: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self.description: list[str] = []
        self.headings: list[int] = []
        self.terms: list[list[str]] = []  # the <dt> of each <dl>
        self.in_term = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.depth += 1
        if self.depth:
            self.drawn += [(tag, k, v or "") for k, v in attrs.items() if k in NUMERIC]
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        if tag == "meta" and attrs.get("name") == "description":
            self.description.append(attrs.get("content") or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "dl":
            self.terms.append([])
        if tag == "dt":
            self.in_term = True
            self.terms[-1].append("")

    def handle_data(self, data):
        if self.in_term:
            self.terms[-1][-1] += data

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1
        if tag == "dt":
            self.in_term = False

    def shapes(self) -> list[tuple[str, str, str]]:
        return [item for item in self.drawn if item[0] != "tspan"]


def drawing(response) -> Drawing:
    parser = Drawing()
    parser.status = response.status_code
    parser.feed(response.content.decode())
    return parser


def every_page_pair(client) -> list[tuple[str, str]]:
    """(English path, French path) of every page in the sitemap, and of the pages it leaves out."""
    index = client.get("/sitemap.xml").content.decode()
    pairs = []
    for section in re.findall(r"<loc>http://testserver/(sitemap-[a-z]+\.xml)</loc>", index):
        body = client.get(f"/{section}").content.decode()
        pairs += re.findall(
            r'hreflang="en" href="http://testserver(/en/[^"]*)"/>'
            r'<xhtml:link rel="alternate" hreflang="fr" href="http://testserver(/fr/[^"]*)"/>',
            body,
        )
    pairs = sorted(set(pairs))
    extra = [
        ("/en/timeline/2011/", "/fr/chronologie/2011/"),
        ("/en/timeline/date-not-recorded/", "/fr/chronologie/date-non-renseignee/"),
        *(
            (f"/en/international-relations/{key}/", f"/fr/relations-internationales/{key}/")
            for key, _title in SECTIONS
        ),
        ("/en/search/?q=cancer", "/fr/recherche/?q=cancer"),
    ]
    return pairs + extra


def test_every_page_in_both_languages(client, demo):
    """French pages draw with the English pages' numbers; every page describes itself in
    its language; headings never skip a level; no term repeats in a list."""
    pairs = every_page_pair(client)
    assert len(pairs) > 60
    drawn_somewhere = 0
    descriptions = {}
    for english, french in pairs:
        en, fr = drawing(client.get(english)), drawing(client.get(french))
        # a label's lines (tspan) wrap by language; every shape is where it is in English
        assert fr.shapes() == en.shapes(), french
        for tag, name, value in fr.drawn:
            assert name == "d" or not COMMA_DECIMAL.search(value), (french, tag, name, value)
        for style in fr.styles:
            assert not COMMA_DECIMAL.search(style), (french, style)
        drawn_somewhere += bool(fr.drawn)
        for path, page in ((english, en), (french, fr)):
            assert page.status == 200, path
            assert len(page.description) == 1 and len(page.description[0]) > 20, path
            descriptions[path] = page.description[0]
            assert page.headings[0] == 1 and page.headings.count(1) == 1, (path, page.headings)
            pairs_of_levels = zip(page.headings, page.headings[1:], strict=False)
            assert all(b <= a + 1 for a, b in pairs_of_levels), (path, page.headings)
            # a term once per list: an organization's identifiers of one scheme share theirs
            assert all(len(set(terms)) == len(terms) for terms in page.terms), (path, page.terms)
    # the map, the network, the timeline and every organization's mini-map
    assert drawn_somewhere >= 4
    # the French descriptions are French, not the English text again
    assert descriptions["/fr/carte/"] != descriptions["/en/map/"]
    assert "partenaires" in descriptions["/fr/carte/"]
    milan = Activity.objects.get(title_en="Identifying biomarkers in lung cancer, with Milan")
    assert descriptions[f"/en/activities/{milan.uid}/"].startswith(milan.summary_en[:40])
    assert descriptions[f"/fr/activites/{milan.uid}/"].startswith(milan.summary_fr[:40])


@pytest.mark.parametrize(
    ("path", "words", "language"),
    [
        ("/fr/pas-de-page/", "Page introuvable", "fr"),
        ("/fr/organisations/00000000-0000-0000-0000-000000000000/", "Page introuvable", "fr"),
        ("/en/no-such-page/", "Page not found", "en"),
        ("/en/countries/zz/", "Page not found", "en"),
    ],
)
def test_a_missing_page_is_the_portal_s_own_404_in_its_language(
    client, demo, path, words, language
):
    with override_settings(DEBUG=False):
        response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert f"<h1>{words}</h1>" in body
    assert 'class="site"' in body and 'role="search"' in body  # the portal's header
    assert drawing(response).description


def test_a_records_link_is_reverses_address_in_each_language_and_prefix(demo):
    """url_of reverses each route once per language and prefix, then fills the argument in:
    the address must stay what reverse() gives, for every kind of record it links."""
    from django.urls import reverse, set_script_prefix
    from django.utils import translation

    from passerelle.portal.references import url_of
    from passerelle.registry.models import Organization, Person, Place, Topic

    records = [Organization.objects.first(), Person.objects.first(), Activity.objects.first()]
    topic = Topic.objects.first()
    names = ["portal:organization", "portal:person", "portal:activity"]
    try:
        for prefix in ("/", "/relations/"):
            set_script_prefix(prefix)
            for lang in ("en", "fr"):
                with translation.override(lang):
                    for record, name in zip(records, names, strict=True):
                        expected = reverse(name, kwargs={"uid": record.uid})
                        assert url_of(record) == expected
                        assert expected.startswith(f"{prefix}{lang}/")
                    assert url_of(topic) == reverse("portal:topic", kwargs={"slug": topic.slug})
                    country = Place.objects.first().country
                    assert url_of(country) == reverse(
                        "portal:country", kwargs={"code": country.code.lower()}
                    )
    finally:
        set_script_prefix("/")


def test_quotations_carry_the_language_of_their_source(client, demo):
    """The seed is English: its sentences quoted on a French page are marked lang="en", so
    that a screen reader reads them in English (WCAG 3.1.2, language of parts)."""
    from django.core.cache import cache

    from passerelle.core.models import Source

    agreement = Activity.objects.get(kind="agreement", title_en__contains="Weizmann")
    with translation.override("fr"):
        url = reverse("portal:activity", args=[agreement.uid])
    assert url.startswith("/fr/")
    page = client.get(url).content.decode()
    quotations = re.findall(r"<blockquote([^>]*)>", page)
    assert quotations and all(' lang="en"' in attributes for attributes in quotations)
    Source.objects.update(language="")  # a source of no stated language: no attribute
    cache.clear()  # update() tells the page cache nothing
    page = client.get(url).content.decode()
    assert "<blockquote>" in page and '<blockquote lang="' not in page
