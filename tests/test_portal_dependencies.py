"""Cached pages renew by what they read: an edit renews the pages that depend on it only.

On the demo network: Weizmann is a small partner abroad (one activity, in Israel), CLARA
the hub (in Lyon, in most activities).
"""

from __future__ import annotations

import pytest

from passerelle.activities.models import Activity, Participation
from passerelle.core import dependencies
from passerelle.core.signals import records_bulk_loaded
from passerelle.portal import pages
from passerelle.registry.models import Organization

WEIZMANN = "Weizmann Institute of Science"
FRANCE, ISRAEL, ITALY, MAP = (
    "/en/countries/fr/",
    "/en/countries/il/",
    "/en/countries/it/",
    "/en/map/",
)


def served(client, url: str) -> tuple[str, str]:
    """(hit or miss, the page's text) for one request."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Passerelle-Cache"], response.content.decode()


def cache_of(client, *urls: str) -> dict[str, str]:
    return {url: served(client, url)[0] for url in urls}


def org_url(organization: Organization, suffix: str = "") -> str:
    return f"/en/organizations/{organization.uid}/{suffix}"


def activity_url(activity: Activity) -> str:
    return f"/en/activities/{activity.uid}/"


@pytest.fixture
def weizmann(demo) -> Organization:
    return Organization.objects.get(name=WEIZMANN)


@pytest.fixture
def clara(demo) -> Organization:
    return Organization.objects.get(acronym="CLARA")


def portal_urls() -> list[str]:
    """Every public page of the demo a reader may reach by links: indexes and records."""
    urls = [
        "/en/",
        "/en/international-relations/",
        "/en/organizations/",
        "/en/countries/",
        "/en/topics/",
        "/en/timeline/",
        MAP,
        FRANCE,
        ISRAEL,
        ITALY,
    ]
    for organization in Organization.objects.filter(visibility="public"):
        urls += [org_url(organization), org_url(organization, "activities/")]
    for activity in Activity.objects.filter(visibility="public"):
        urls.append(activity_url(activity))
    return urls


def test_the_header_says_hit_or_miss(client, demo):
    assert served(client, FRANCE)[0] == "miss"
    assert served(client, FRANCE)[0] == "hit"
    assert served(client, "/en/countries/fr.json")[0] == "miss"


def test_a_small_partners_description_leaves_france_the_map_and_the_hub_cached(
    client, weizmann, clara
):
    activity = Activity.objects.get(participations__organization=weizmann)
    own, hub, shown = org_url(weizmann), org_url(clara), activity_url(activity)
    relations = "/en/international-relations/"
    assert WEIZMANN in served(client, hub)[1] and WEIZMANN in served(client, relations)[1]
    cache_of(client, FRANCE, MAP, own, shown)

    weizmann.description_en = "the reference in molecular cell biology"
    weizmann.save()

    assert cache_of(client, FRANCE, MAP, hub) == {FRANCE: "hit", MAP: "hit", hub: "hit"}
    assert cache_of(client, own, shown) == {own: "miss", shown: "miss"}
    # the sentence that introduces it tells its description
    status, text = served(client, relations)
    assert status == "miss" and "the reference in molecular cell biology" in text


def test_a_small_partners_new_name_shows_on_every_page_that_names_it(client, weizmann, clara):
    activity = Activity.objects.get(participations__organization=weizmann)
    named = [org_url(clara), activity_url(activity), MAP, ISRAEL, "/en/organizations/"]
    for url in named:
        assert WEIZMANN in served(client, url)[1], url
    cache_of(client, FRANCE, ITALY)

    weizmann.name_en = "Weizmann Institute, Rehovot"
    weizmann.save()

    for url in named:
        status, text = served(client, url)
        assert status == "miss" and "Weizmann Institute, Rehovot" in text, url
    assert cache_of(client, FRANCE, ITALY) == {FRANCE: "hit", ITALY: "hit"}


def test_an_edit_to_the_hub_renews_the_hubs_pages(client, clara):
    activity = Activity.objects.filter(participations__organization=clara).first()
    hub = [org_url(clara), org_url(clara, "activities/"), activity_url(activity)]
    cache_of(client, *hub, ISRAEL, MAP)

    clara.description_en = "the cancer research cluster of Auvergne-Rhône-Alpes"
    clara.save()

    assert set(cache_of(client, *hub).values()) == {"miss"}
    assert cache_of(client, ISRAEL, MAP) == {ISRAEL: "hit", MAP: "hit"}
    assert set(cache_of(client, *hub).values()) == {"hit"}


def test_an_activitys_summary_renews_its_page_and_its_title_the_pages_that_list_it(client, demo):
    activity = Activity.objects.get(title_en__contains="with Milan")
    page, italy = activity_url(activity), ITALY
    assert activity.title_en in served(client, FRANCE)[1]
    cache_of(client, page, MAP, italy)

    activity.summary_en = "Biomarkers found in the blood of patients."
    activity.save()
    assert cache_of(client, page, FRANCE, MAP) == {page: "miss", FRANCE: "hit", MAP: "hit"}

    activity.title_en = "Lung cancer biomarkers, with Milan"
    activity.save()
    status, text = served(client, FRANCE)
    assert status == "miss" and "Lung cancer biomarkers, with Milan" in text
    assert served(client, page)[0] == "miss"


def test_a_new_participation_renews_its_country_and_the_map(client, weizmann):
    activity = Activity.objects.get(title_en__contains="with Milan")
    page = activity_url(activity)
    assert WEIZMANN not in served(client, page)[1]
    cache_of(client, ISRAEL, MAP, org_url(weizmann), ITALY, FRANCE)

    Participation.objects.create(activity=activity, organization=weizmann, role="partner")

    assert cache_of(client, ISRAEL, MAP, org_url(weizmann)) == {
        ISRAEL: "miss",
        MAP: "miss",
        org_url(weizmann): "miss",
    }
    status, text = served(client, page)
    assert status == "miss" and WEIZMANN in text
    # Italy's and France's pages say nothing of Weizmann: they stay cached
    assert cache_of(client, ITALY, FRANCE) == {ITALY: "hit", FRANCE: "hit"}


def _pages_naming(client, name: str) -> list[str]:
    return [url for url in portal_urls() if name in served(client, url)[1]]


@pytest.mark.parametrize("change", ["confidential", "deleted"])
def test_a_hidden_or_deleted_partner_leaves_every_page_that_showed_it(client, weizmann, change):
    showed = _pages_naming(client, WEIZMANN)
    assert len(showed) >= 6  # its page, CLARA's, its activity's, Israel, the map, the indexes…
    urls = portal_urls()
    if change == "confidential":
        weizmann.visibility = "confidential"
        weizmann.save()
    else:  # its participations first: an actor who takes part is not deleted (PROTECT)
        weizmann.participations.all().delete()
        weizmann.delete()
    for url in showed:
        response = client.get(url)
        if url.startswith(org_url(weizmann)):
            assert response.status_code == 404, url
        else:
            assert WEIZMANN not in response.content.decode(), url
    assert not any(
        WEIZMANN in client.get(url).content.decode() for url in urls if url not in showed
    )


def test_a_bulk_load_renews_every_page(client, demo):
    urls = portal_urls()[:12]
    cache_of(client, *urls)
    assert set(cache_of(client, *urls).values()) == {"hit"}
    records_bulk_loaded.send(sender=None, models=(Organization,))
    assert set(cache_of(client, *urls).values()) == {"miss"}


def test_a_save_that_changes_nothing_renews_nothing(client, weizmann):
    cache_of(client, org_url(weizmann), ISRAEL)
    Organization.objects.get(pk=weizmann.pk).save()
    assert set(cache_of(client, org_url(weizmann), ISRAEL).values()) == {"hit"}


def test_an_edit_while_a_page_is_built_is_not_lost(client, demo, monkeypatch):
    """A key renewed between reading the rows and storing the page: the page is not kept."""
    build = pages.country_page

    def built_while_an_edit_lands(code):
        payload = build(code)
        dependencies.renew({"country:FR"})
        return payload

    monkeypatch.setattr(pages, "country_page", built_while_an_edit_lands)
    served(client, FRANCE)
    monkeypatch.undo()
    assert served(client, FRANCE)[0] == "miss"
    assert served(client, FRANCE)[0] == "hit"


def test_a_page_stored_with_keys_that_were_evicted_is_not_served(client, demo):
    served(client, FRANCE)
    dependencies.store().delete("country:FR")
    assert served(client, FRANCE)[0] == "miss"


def test_a_topic_taken_off_an_activity_leaves_the_topics_page(client, demo):
    from passerelle.registry.models import Topic

    activity = Activity.objects.get(title_en__contains="with Milan")
    biomarkers = Topic.objects.get(slug="biomarkers")
    url = "/en/topics/biomarkers/"
    assert activity.title_en in served(client, url)[1]
    activity.topics.remove(biomarkers)
    status, text = served(client, url)
    assert status == "miss" and activity.title_en not in text


def test_with_a_file_cache_the_versions_are_kept_in_the_database(client, demo, settings, tmp_path):
    """A file cache keeps a few hundred entries: the versions go to a table instead."""
    from passerelle.core.models import DependencyVersion

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "cache",
        }
    }
    assert isinstance(dependencies.store(), dependencies.TableVersions)
    weizmann = Organization.objects.get(name=WEIZMANN)
    cache_of(client, FRANCE, org_url(weizmann))
    assert DependencyVersion.objects.filter(key="country:FR").exists()
    weizmann.description_en = "the reference in molecular cell biology"
    weizmann.save()
    assert cache_of(client, FRANCE, org_url(weizmann)) == {FRANCE: "hit", org_url(weizmann): "miss"}
