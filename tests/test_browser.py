"""The back office as staff see it, in a real headless Chromium."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model

from passerelle.demo.document import demo_document
from passerelle.ingest.interchange import import_document

pytestmark = pytest.mark.browser

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
# (not the live server's, which has its own thread) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def officer(transactional_db):
    import_document(demo_document(), reason="browser test")
    get_user_model().objects.create_superuser("officer", "officer@example.org", "pw-officer-1")


@pytest.fixture
def page(browser, live_server, officer):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "pw-officer-1")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/en/admin/")
    yield page
    context.close()


def test_staff_find_and_read_the_milan_program(page, live_server, artifacts):
    page.goto(f"{live_server.url}/en/admin/activities/activity/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == len(demo_document()["activities"])  # every one, on one page
    page.fill("input[name=q]", "Milan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#result_list tbody tr").count() == 1
    page.screenshot(path=artifacts / "backoffice-activity-list.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Identifying biomarkers in lung cancer, with Milan").click()
    body = page.content()
    for text in ("Brambilla", "French National Cancer Institute", "coordinator"):
        assert text in body
    assert page.input_value("input[name=title_en]") == (
        "Identifying biomarkers in lung cancer, with Milan"
    )
    page.screenshot(path=artifacts / "backoffice-activity-detail.png", full_page=True)


def test_organization_list_at_phone_width_and_in_french(page, live_server, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/admin/registry/organization/")
    assert "Weizmann Institute of Science" in page.content()
    page.screenshot(path=artifacts / "backoffice-organizations-phone.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/fr/admin/registry/organization/")
    assert page.locator("html").get_attribute("lang") == "fr"
    body = page.content()
    assert "Organisations" in body and "Institut Weizmann" in body  # its French name
    page.screenshot(path=artifacts / "backoffice-organizations-fr.png", full_page=True)


def test_staff_merge_a_duplicate_and_see_import_pages(page, live_server, artifacts):
    from passerelle.registry.models import Organization, Place

    Organization.objects.create(
        name="Intl Agency for Research on Cancer",
        place=Place.objects.get(name_en="Lyon"),
        kind="international",
    )
    page.goto(f"{live_server.url}/en/admin/ingest/merge/duplicates/")
    assert "Intl Agency for Research on Cancer" in page.content()
    page.screenshot(path=artifacts / "backoffice-duplicates.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Keep International Agency for Research on Cancer").click()
    assert "merged into International Agency for Research on Cancer" in page.content()
    assert not Organization.objects.filter(name="Intl Agency for Research on Cancer").exists()
    page.goto(f"{live_server.url}/en/admin/registry/organization/import/")
    assert page.locator("input[type=file]").count() == 1
    page.screenshot(path=artifacts / "backoffice-import.png", full_page=True)


def test_the_content_security_policy_blocks_nothing_we_serve(page, live_server):
    """The policy is strict (no inline script anywhere): our own pages must not trip it."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    from passerelle.activities.models import Activity

    milan = Activity.objects.get(title_en__contains="with Milan")
    weizmann = Activity.objects.get(title_en__contains="Weizmann")
    for path in (
        "/en/admin/",
        "/fr/admin/desk/",
        f"/fr/admin/activities/activity/{weizmann.pk}/change/",  # the multi-country lists
        "/fr/admin/search/searchentry/match/?q=nanomedicine&scope=ES",
        "/en/admin/registry/organization/",
        f"/en/admin/activities/activity/{milan.pk}/change/",
        "/en/admin/ingest/merge/duplicates/",
        "/en/",
        "/en/international-relations/",
        "/en/map/",
        "/en/network/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []


def _selected(page, name: str) -> list[str]:
    return page.eval_on_selector(
        f"select[name='{name}']", "el => Array.from(el.selectedOptions).map(o => o.value)"
    )


def test_edit_an_agreement_and_add_a_commitment_alternating_between_two_countries(
    page, live_server, artifacts
):
    """The Weizmann agreement's commitments once made every save fail ("Enter a list of
    values"): its end date changes, and a new commitment takes two countries."""
    from passerelle.activities.models import Activity

    weizmann = Activity.objects.get(title_en__contains="Weizmann")
    url = f"{live_server.url}/en/admin/activities/activity/{weizmann.pk}/change/"
    page.goto(url)
    assert _selected(page, "commitments-0-alternate_countries") == []
    assert sorted(_selected(page, "commitments-1-alternate_countries")) == ["FR", "IL"]
    page.fill("input[name=end]", "2030")
    page.get_by_text("Add another Commitment", exact=True).click()
    page.fill("input[name='commitments-3-position']", "3")
    page.select_option("select[name='commitments-3-area']", "joint_events")
    page.fill("input[name='commitments-3-text_en']", "joint symposia, alternately in each country")
    row = page.locator("select[name='commitments-3-alternate_countries'] + .select2")
    for country in ("France", "Israel"):  # typed into the multi-choice list, as staff do
        row.locator(".select2-search__field").click()
        page.keyboard.type(country)
        page.locator(".select2-results__option", has_text=country).first.click()
    assert sorted(_selected(page, "commitments-3-alternate_countries")) == ["FR", "IL"]
    page.screenshot(path=artifacts / "backoffice-agreement-commitments.png", full_page=True)
    with page.expect_navigation():
        page.click("button[name=_save]")
    assert "was changed successfully" in page.content()
    weizmann.refresh_from_db()
    assert weizmann.end == "2030"
    page.goto(url)
    assert sorted(_selected(page, "commitments-3-alternate_countries")) == ["FR", "IL"]
    assert page.input_value("input[name='commitments-3-text_en']").startswith("joint symposia")
    page.goto(url.replace("/en/", "/fr/"))
    assert "Organisé en alternance en" in page.content() or "alternance" in page.content()
    page.screenshot(path=artifacts / "backoffice-agreement-commitments-fr.png", full_page=True)


def test_adding_an_activity_asks_its_kind_then_shows_its_form_only(page, live_server, artifacts):
    from passerelle.activities.models import Activity

    for language, kind, heading in (
        ("en", "Delegation", "Agreement"),
        ("fr", "Délégation", "Accord"),
    ):
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/{language}/admin/activities/activity/add/")
        assert page.locator("a[href*='?kind=']").count() == 7
        page.screenshot(
            path=artifacts / f"backoffice-activity-kinds-{language}.png", full_page=True
        )
        with page.expect_navigation():
            page.get_by_role("link", name=kind, exact=True).click()
        headings = page.locator("h2").all_inner_texts()
        assert any(kind in h for h in headings) and not any(h.strip() == heading for h in headings)
        assert page.locator("select[name^='commitments-']").count() == 0
        page.screenshot(
            path=artifacts / f"backoffice-delegation-form-{language}.png", full_page=True
        )
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(
            path=artifacts / f"backoffice-delegation-form-{language}-phone.png", full_page=True
        )
    page.fill("input[name=title_en]", "Delegation from Heidelberg")
    page.select_option("select[name=direction]", "incoming")
    page.select_option("select[name=delegation_country]", "DE")
    with page.expect_navigation():
        page.click("button[name=_save]")
    assert "Delegation from Heidelberg" in page.content()
    created = Activity.objects.get(title_en="Delegation from Heidelberg")
    assert (created.kind, created.direction, created.delegation_country) == (
        "delegation",
        "incoming",
        "DE",
    )


def test_a_delegations_form_fits_a_phone(page, live_server, artifacts):
    """At 390 px (a phone), no fieldset of a delegation's form is wider than the screen
    (a fieldset keeps its content's min-content width unless told otherwise)."""
    from passerelle.activities.models import Activity

    delegation = Activity.objects.filter(kind="delegation").first()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/admin/activities/activity/{delegation.pk}/change/")
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('fieldset')].map(f => [
            f.querySelector('legend, h2')?.textContent.trim() || '',
            f.getBoundingClientRect().right - document.documentElement.clientWidth])
          .filter(([, over]) => over > 0.5)"""
    )
    page.screenshot(path=artifacts / "backoffice-delegation-phone.png", full_page=False)
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
