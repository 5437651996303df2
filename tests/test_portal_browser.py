"""The public portal as readers see it, in a real headless Chromium, checked with axe-core."""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from passerelle.demo.loading import load_demo_network
from passerelle.registry.models import Organization

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: WCAG 2.1 A and AA and 2.2 AA rules, plus axe's best practices (landmarks, headings).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
#: Rules that fail a page whatever impact axe gives them: headings that skip a level, two
#: landmarks of one kind with the same name, targets smaller than 24 px with no room around.
ALWAYS = {"heading-order", "landmark-unique", "target-size"}


@pytest.fixture
def reader(browser, live_server, transactional_db):
    load_demo_network(migrate=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS
    ]


def test_the_international_relations_page_in_both_languages(reader, live_server, artifacts):
    page = reader
    page.goto(f"{live_server.url}/en/international-relations/")
    assert page.locator("h1").inner_text() == "International relations"
    assert page.locator("main section > h2").count() == 8
    page.screenshot(path=artifacts / "portal-en.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Français").click()
    assert page.url.endswith("/fr/relations-internationales/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "coordonné par le Pr C. Brambilla à Grenoble" in page.locator("main").inner_text()
    page.get_by_role("link", name="Haut de page").click()
    assert page.evaluate("window.scrollY") == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts / "portal-fr-phone.png", full_page=True)
    # from the page to an activity, then to a partner, then the same page in English
    with page.expect_navigation():
        page.get_by_role("link", name="Identification de biomarqueurs", exact=False).first.click()
    assert "/fr/activites/" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Pr C. Brambilla").first.click()
    assert "/fr/personnes/" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert "/en/people/" in page.url and page.locator("h1").inner_text() == "Pr. C. Brambilla"


def test_map_and_network_draw_the_partners(reader, live_server, artifacts):
    page = reader
    page.goto(f"{live_server.url}/en/map/")
    assert page.locator("#partnership-map .land path").count() > 150
    assert page.locator("#partnership-map .points circle").count() >= 8
    box = page.locator("#partnership-map").bounding_box()
    assert box["width"] > 600 and box["height"] > 250
    assert page.locator("table tbody tr").count() >= 8
    page.screenshot(path=artifacts / "portal-map.png", full_page=True)
    page.goto(f"{live_server.url}/en/network/")
    assert page.locator("#partnership-network .nodes circle").count() >= 10
    assert page.locator("#partnership-network .links line").count() >= 10
    page.screenshot(path=artifacts / "portal-network.png", full_page=True)
    page.select_option("select[name=kind]", "agreement")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "kind=agreement" in page.url
    assert 2 <= page.locator("#partnership-network .nodes circle").count() < 10


def test_keyboard_reaches_the_content_with_a_visible_focus(reader, live_server):
    page = reader
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.bounding_box()["x"] >= 0  # the skip link shows when focused
    page.keyboard.press("Enter")
    page.wait_for_url("**#main", timeout=5000)  # the fragment is set after the key's default
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_every_page_type_passes_axe(reader, live_server, artifacts):
    clara = Organization.objects.get(acronym="CLARA")
    iarc = Organization.objects.get(acronym="IARC")
    paths = ["/en/", "/en/international-relations/", "/fr/relations-internationales/"]
    page = reader
    page.goto(f"{live_server.url}/en/organizations/{clara.uid}/")
    paths.append(page.url.removeprefix(live_server.url))
    activity = page.locator("main ul.refs a").first.get_attribute("href")
    partner = page.locator("section[aria-labelledby=partners-title] a").first.get_attribute("href")
    paths += [activity, partner]
    page.goto(f"{live_server.url}{activity}")
    person = page.locator("section[aria-labelledby=participants-title] a[href*='/people/']")
    if person.count():
        paths.append(person.first.get_attribute("href"))
    topic = page.locator("a[href*='/topics/']").last.get_attribute("href")
    paths += [
        topic,
        "/en/topics/",
        "/en/countries/",
        "/en/countries/it/",
        "/en/organizations/",
        "/en/map/",
        "/en/network/",
        "/en/timeline/",
        "/en/timeline/2011/",
        "/fr/chronologie/date-non-renseignee/",
        "/fr/carte/",
        "/fr/reseau/",
        "/fr/relations-internationales/europe/",
        f"/fr/organisations/{iarc.uid}/",
        f"/en/organizations/{clara.uid}/activities/",
        "/en/search/?q=cancer",
        "/fr/recherche/?q=cellules+souches",
        "/en/search/?q=",
    ]
    problems = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        found = serious_violations(page)
        if found:
            problems[path] = found
    page.goto(f"{live_server.url}/fr/pas-de-page/")
    if found := serious_violations(page):
        problems["404"] = found
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/en/organizations/{clara.uid}/", "/fr/", "/en/search/?q=cancer"):
        page.goto(f"{live_server.url}{path}")
        if found := serious_violations(page):
            problems[f"{path} at 390 px"] = found
    page.goto(f"{live_server.url}/en/organizations/{clara.uid}/")
    page.screenshot(path=artifacts / "portal-organization-phone.png", full_page=True)
    assert problems == {}


def test_the_search_box_finds_narrows_and_pages(reader, live_server, artifacts):
    page = reader
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("searchbox", name="Search").fill("Bramblla")
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="Search").click()
    assert "/en/search/?q=Bramblla" in page.url
    assert page.locator("main .hits mark").first.inner_text() == "Brambilla"
    assert "Also searched for" in page.locator("main").inner_text()
    page.get_by_role("searchbox", name="Words to find").fill("cancer")
    with page.expect_navigation():
        page.locator("form.search-page button").click()
    groups = page.locator("main .hits section h2").all_inner_texts()
    assert {"Activities", "Organizations"} <= set(groups)
    page.screenshot(path=artifacts / "portal-search.png", full_page=True)
    with page.expect_navigation():
        page.locator("aside.facets a", has_text="Italy").first.click()
    assert "country=IT" in page.url
    assert "Cancer research cluster in Milan" in page.locator("main .hits").inner_text()
    with page.expect_navigation():
        page.locator("main .hits a").first.click()
    assert page.locator("h1").count() == 1 and "/en/" in page.url


#: The pictures, what draws them, and the same page in the other language.
PICTURES = [
    ("/en/map/", "/fr/carte/", "#partnership-map .points circle, #partnership-map .origin"),
    ("/en/network/", "/fr/reseau/", "#partnership-network circle, #partnership-network line"),
    ("/en/timeline/", "/fr/chronologie/", ".year .bar rect"),
]


def drawn(page, selector: str) -> int:
    """How many shapes of the selector the browser actually drew (a shape whose numbers it
    could not read has no size)."""
    return page.locator(selector).evaluate_all(
        "shapes => shapes.filter(s => { const b = s.getBBox(); return b.width + b.height > 0 })"
        ".length"
    )


def test_pictures_draw_in_french_and_every_page_fits_a_phone(reader, live_server, artifacts):
    """French pages draw every shape English ones do, with no SVG error; map, network and
    timeline fit a 390 px phone; screenshots of every page in both languages and widths."""
    page = reader
    errors = []  # the 404 pages' own "failed to load" aside
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    clara = Organization.objects.get(acronym="CLARA")
    iarc = Organization.objects.get(acronym="IARC")
    pictures = [
        *PICTURES,
        (f"/en/organizations/{iarc.uid}/", f"/fr/organisations/{iarc.uid}/", ".locator circle"),
    ]
    for english, french, selector in pictures:
        page.goto(f"{live_server.url}{english}")
        shapes = drawn(page, selector)
        assert shapes >= 1, english
        page.goto(f"{live_server.url}{french}")
        assert drawn(page, selector) == shapes, french
    assert drawn(page, ".locator circle") == 1
    assert errors == []
    others = [
        (
            "international-relations",
            "/en/international-relations/",
            "/fr/relations-internationales/",
        ),
        ("organization", f"/en/organizations/{clara.uid}/", f"/fr/organisations/{clara.uid}/"),
        ("404", "/en/no-such-page/", "/fr/pas-de-page/"),
    ]
    named = [
        (english.strip("/").split("/")[-1], english, french) for english, french, _ in PICTURES
    ]
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, english, french in named + others:
            for language, path in (("en", english), ("fr", french)):
                page.goto(f"{live_server.url}{path}")
                page.screenshot(
                    path=artifacts / f"portal-{name}-{language}-{width}.png", full_page=True
                )
                if width == 390 and name in ("map", "network", "timeline"):
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    assert scroll <= 390, (path, scroll)
    page.goto(f"{live_server.url}/fr/pas-de-page/")
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert page.locator("html").get_attribute("lang") == "fr"
    # on a phone the network names its largest organizations, each label apart from the others
    page.goto(f"{live_server.url}/en/network/")
    labels = page.locator("#partnership-network text").evaluate_all(
        "texts => texts.filter(t => getComputedStyle(t).display !== 'none').map(t => t.textContent)"
    )
    assert 2 <= len(labels) == len(set(labels)) <= 8
    assert errors == []
