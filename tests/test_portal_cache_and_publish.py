"""Cached pages drop at once when a record changes; the static copy serves as it is."""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.core.management import CommandError, call_command

from passerelle.activities.models import Activity, Participation
from passerelle.core import changes
from passerelle.core.signals import records_bulk_loaded
from passerelle.portal import pages
from passerelle.portal.publishing import PublishError, publish
from passerelle.registry.models import Organization, Topic


def test_a_cached_page_costs_no_query(client, demo, django_assert_num_queries):
    first = client.get("/en/international-relations/")
    with django_assert_num_queries(0):
        again = client.get("/en/international-relations/")
    assert again.content == first.content


def test_an_edit_shows_at_once(client, demo):
    clara = Organization.objects.get(acronym="CLARA")
    url = f"/en/organizations/{clara.uid}/"
    assert "CLARA cancer cluster" in client.get(url).content.decode()
    client.get("/en/international-relations/")
    clara.name_en = "CLARA, the cluster"
    clara.save()
    assert "CLARA, the cluster" in client.get(url).content.decode()
    assert "CLARA, the cluster" in client.get("/en/international-relations/").content.decode()


def test_many_to_many_changes_and_deletions_show_at_once(client, demo):
    milan = Activity.objects.get(title_en__contains="with Milan")
    url = f"/en/activities/{milan.uid}.json"
    assert {t["name"] for t in client.get(url).json()["topics"]} == {"Biomarkers", "Lung cancer"}
    milan.topics.remove(Topic.objects.get(slug="biomarkers"))
    assert {t["name"] for t in client.get(url).json()["topics"]} == {"Lung cancer"}
    Participation.objects.filter(activity=milan, role="supporter").delete()
    roles = [g["role"] for g in client.get(url).json()["participants"]]
    assert "supporter" not in roles


def test_bulk_loads_and_commits_renew_the_cache(client, demo, django_capture_on_commit_callbacks):
    before = changes.content_version()
    records_bulk_loaded.send(sender=None, models=(Organization,))
    after_bulk = changes.content_version()
    assert after_bulk != before
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Organization.objects.get(acronym="CLARA").save()
    assert callbacks and changes.content_version() != after_bulk


def test_a_failed_page_is_not_cached(client, demo, monkeypatch):
    monkeypatch.setattr(pages, "countries_index", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        client.get("/en/countries/")
    monkeypatch.undo()
    assert client.get("/en/countries/").status_code == 200


# -- the static copy

LINK = re.compile(r'(?:href|src)="([^"#]+)(?:#[^"]*)?"')


@pytest.fixture
def site(demo, tmp_path) -> Path:
    out = tmp_path / "site"
    publish(out, base_url="https://partners.example.org")
    return out


def test_every_link_of_the_static_copy_leads_to_a_file(site):
    pages_checked = 0
    for html in site.rglob("*.html"):
        text = html.read_text()
        for target in LINK.findall(text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert not target.startswith("/"), f"{html}: {target} is not relative"
            assert (html.parent / target).resolve().is_file(), f"{html}: {target}"
        pages_checked += 1
    assert pages_checked > 100
    assert (site / "en/international-relations/index.html").is_file()
    assert (site / "fr/relations-internationales/index.html").is_file()
    assert (site / "en/international-relations.json").is_file()
    assert (site / "world.svg").is_file() and (site / "static/portal/portal.css").is_file()
    index = (site / "sitemap.xml").read_text()
    assert "<loc>https://partners.example.org/sitemap-pages.xml</loc>" in index
    pages_map = (site / "sitemap-pages.xml").read_text()
    assert "https://partners.example.org/fr/relations-internationales/" in pages_map
    canonical = (site / "en/map/index.html").read_text()
    assert '<link rel="canonical" href="https://partners.example.org/en/map/">' in canonical
    assert "<form" not in canonical  # no server to filter a static copy


def test_a_plain_static_server_serves_the_copy(site):
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urlopen(f"{base}/") as home:
            assert b"en/index.html" in home.read()
        with urlopen(f"{base}/fr/relations-internationales/") as page:
            body = page.read().decode()
        assert "est coordonné par" in body and 'lang="fr"' in body
        with urlopen(f"{base}/en/network.json") as data:
            assert data.headers["Content-Type"] == "application/json"
    finally:
        server.shutdown()


def test_a_failed_publication_leaves_the_previous_one(site, monkeypatch):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def missing(slug):
        from django.http import Http404

        raise Http404(slug)

    monkeypatch.setattr(pages, "topic_page", missing)
    changes.records_changed()  # the pages cached by the first publication must not answer
    with pytest.raises(PublishError, match="do not exist"):
        publish(site)
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no staging left behind


def test_publish_command(demo, tmp_path, capsys):
    call_command("publish", str(tmp_path / "out"))
    assert "Published to" in capsys.readouterr().out
    with pytest.raises(CommandError, match="http"):
        call_command("publish", str(tmp_path / "out"), "--base-url", "partners.example.org")
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("publish", str(tmp_path / "file"))


def test_a_long_sitemap_is_published_page_by_page(demo, tmp_path, monkeypatch):
    from passerelle.portal.sitemaps import PortalSitemap

    monkeypatch.setattr(PortalSitemap, "limit", 5)
    out = tmp_path / "site"
    publish(out, base_url="https://partners.example.org")
    index = (out / "sitemap.xml").read_text()
    assert "<loc>https://partners.example.org/sitemap-activities-2.xml</loc>" in index
    second = (out / "sitemap-activities-2.xml").read_text()
    assert second.count("<url>") == 5  # the limit counts addresses, a language each
    assert "/activities/" not in second.replace("/en/activities/", "").replace("/fr/activites/", "")
