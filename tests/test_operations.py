"""Operations: /health, /metrics, the backup → restore round trip on both databases, publish."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from passerelle.activities.models import Activity
from passerelle.core import health
from passerelle.demo.loading import load_demo_network
from passerelle.portal import publishing
from passerelle.registry.models import Organization

CHECKOUT = Path(__file__).resolve().parent.parent


def test_health_answers_a_balancer_by_address_and_plain_http(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health", HTTP_HOST="10.0.0.7")  # not an allowed host, not HTTPS
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_health_says_what_fails(client, db, monkeypatch):
    def down():
        raise ConnectionError("database is down")

    monkeypatch.setattr(health, "_database", down)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "failing: ConnectionError"


def test_metrics_only_for_the_local_machine(client, db):
    client.get("/en/")
    local = client.get("/metrics")
    assert local.status_code == 200
    assert "django_http_requests_total_by_method_total" in local.content.decode()
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


@pytest.fixture
def network(transactional_db):
    load_demo_network(migrate=False)


def test_backup_and_restore_round_trip(network, tmp_path, capsys):
    snapshot = tmp_path / "passerelle.backup"
    call_command("backup", str(snapshot))
    assert "Snapshot written" in capsys.readouterr().out and snapshot.stat().st_size > 0
    before = sorted(Organization.objects.values_list("uid", "name"))
    activities = Activity.objects.count()
    Organization.objects.filter(acronym="CLARA").update(name="Renamed after the backup")
    Activity.objects.filter(kind="event").delete()
    Organization.objects.create(name="Created after the backup")
    call_command("restore", str(snapshot), "--yes")
    assert sorted(Organization.objects.values_list("uid", "name")) == before
    assert Activity.objects.count() == activities


def test_a_bad_snapshot_restores_nothing(network, tmp_path):
    bad = tmp_path / "not-a-backup"
    bad.write_bytes(b"this is not a database snapshot" * 100)
    names = sorted(Organization.objects.values_list("name", flat=True))
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(bad), "--yes")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(tmp_path / "missing"), "--yes")
    assert sorted(Organization.objects.values_list("name", flat=True)) == names


def test_backup_refuses_a_directory(db, tmp_path):
    with pytest.raises(CommandError, match="directory"):
        call_command("backup", str(tmp_path))


@pytest.fixture
def open_umask():
    """A umask that would leave new files readable by every local user."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_backup_is_readable_by_its_owner_only_and_never_overwritten(
    transactional_db, tmp_path, open_umask
):
    Organization.objects.create(name="Known before the first backup")
    snapshot = tmp_path / "passerelle.backup"
    call_command("backup", str(snapshot))
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    first = snapshot.read_bytes()
    Organization.objects.create(name="Created after the first backup")
    with pytest.raises(CommandError, match=r"exists: give --force to replace it"):
        call_command("backup", str(snapshot))
    assert snapshot.read_bytes() == first
    call_command("backup", str(snapshot), "--force")
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    assert snapshot.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["passerelle.backup"]  # no leftovers
    Organization.objects.filter(name="Created after the first backup").delete()
    call_command("restore", str(snapshot), "--yes")
    assert Organization.objects.filter(name="Created after the first backup").exists()


def test_a_backup_into_a_missing_directory_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"no-such-dir: no such directory"):
        call_command("backup", str(tmp_path / "no-such-dir" / "passerelle.backup"))
    assert list(tmp_path.iterdir()) == []


def test_publish_refuses_a_directory_that_is_not_a_publication(db, tmp_path, open_umask):
    """`publish DIR` replaces DIR whole: a folder of other files, or a checkout, is kept."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "minutes.txt").write_text("kept")
    for target in (folder, CHECKOUT):
        with pytest.raises(CommandError, match="not a previous publication"):
            call_command("publish", str(target))
    assert (folder / "minutes.txt").read_text() == "kept"
    assert (CHECKOUT / "pyproject.toml").is_file()


def test_a_publication_is_readable_by_the_web_server_and_replaces_its_previous_one(
    db, tmp_path, monkeypatch
):
    site = tmp_path / "site"
    site.mkdir()  # an empty directory may be published into
    previous = os.umask(0o077)  # even a strict umask leaves the tree readable
    try:
        call_command("publish", str(site))
    finally:
        os.umask(previous)
    assert (site / publishing.MARKER).is_file()
    modes = {
        path.relative_to(site).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in [site, *site.rglob("*")]
    }
    assert modes["."] == 0o755 and modes["en/index.html"] == 0o644
    assert {mode for name, mode in modes.items() if (site / name).is_dir()} == {0o755}
    assert {mode for name, mode in modes.items() if (site / name).is_file()} == {0o644}
    (site / "en" / "stale.html").write_text("from an older publication")
    call_command("publish", str(site))  # a previous publication is replaced
    assert not (site / "en" / "stale.html").exists() and (site / "en" / "index.html").is_file()
