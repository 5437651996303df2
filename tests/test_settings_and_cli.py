"""Settings from the environment, the refusal to run production on demo secrets, the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from passerelle.__main__ import main


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "PASSERELLE_ENV", "DATABASE_URL"}
    }
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "passerelle.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_defaults_to_sqlite_and_debug(tmp_path):
    result = _settings({"PASSERELLE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]


def test_the_demo_serves_without_debugging_pages(tmp_path):
    """A new user's mistyped address gets the portal's "page not found", not Django's
    list of URL patterns; static files are served all the same."""
    code = (
        "import sys; from passerelle.__main__ import main\n"
        "try: main(['passerelle', 'demo', '--help'])\n"
        "except SystemExit: pass\n"
        "from django.conf import settings; print('DEBUG', settings.DEBUG, "
        "settings.WHITENOISE_USE_FINDERS)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PASSERELLE_ENV"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PASSERELLE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "DEBUG False True"


def test_database_url_picks_postgresql(tmp_path):
    result = _settings(
        {
            "PASSERELLE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://someone@db.invalid:5432/passerelle",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout


def test_production_refuses_the_demo_secret_key(tmp_path):
    result = _settings(
        {
            "PASSERELLE_ENV": "production",
            "ALLOWED_HOSTS": "relations.example.org",
            "PASSERELLE_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "Refusing to start in production with the demo's secret key" in result.stderr


def test_production_needs_allowed_hosts_and_no_debug(tmp_path):
    secret = "x" * 50
    base = {
        "PASSERELLE_ENV": "production",
        "SECRET_KEY": secret,
        "PASSERELLE_DATA_DIR": str(tmp_path),
    }
    assert "ALLOWED_HOSTS" in _settings(base).stderr
    assert (
        "DEBUG must be off"
        in _settings({**base, "ALLOWED_HOSTS": "relations.example.org", "DEBUG": "true"}).stderr
    )
    ok = _settings({**base, "ALLOWED_HOSTS": "relations.example.org"})
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("False")


def test_a_mistyped_flag_is_refused(tmp_path):
    result = _settings({"DEBUG": "maybe", "PASSERELLE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "DEBUG='maybe'" in result.stderr


def test_cli_accepts_hyphenated_command_names(db, capsys):
    main(["passerelle", "load-demo"])
    assert "Demo network loaded" in capsys.readouterr().out


def test_cli_runs_django_commands(capsys):
    main(["passerelle", "--version"])
    assert capsys.readouterr().out.strip().startswith("5.2")


def test_console_script_is_installed():
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "passerelle"), "help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in ("load-demo", "export", "import", "demo", "serve", "migrate"):
        assert command in result.stdout


def test_import_and_export_are_passerelles_own_commands():
    from django.core.management import get_commands

    commands = get_commands()
    assert commands["import"] == commands["export"] == "passerelle.ingest"
    assert commands["load_demo"] == commands["generate"] == "passerelle.demo"


def test_help_on_a_command_accepts_its_hyphenated_name(capsys):
    main(["passerelle", "help", "import-sheet"])
    out = capsys.readouterr().out
    assert out.startswith("usage: passerelle import_sheet") and "--confirm" in out


def test_help_lists_passerelles_commands_first_one_line_each(capsys):
    from django.core.management import get_commands

    own = sorted(name for name, app in get_commands().items() if app.startswith("passerelle."))
    for argv in (["passerelle", "--help"], ["passerelle", "help"], ["passerelle"]):
        main(argv)
        out = capsys.readouterr().out
        head, rest = out.split("Django's and the libraries' commands:")
        listed = [
            line.split()[0]
            for line in head.split("Passerelle's commands:")[1].splitlines()
            if line.strip()
        ]
        assert listed == [name.replace("_", "-") for name in own]
        # the column is as wide as the longest name (rebuild-tallies), two spaces after it
        assert re.search(r"\n    import-sheet {2,}Check a spreadsheet \(\.csv or \.xlsx\)", head)
        assert all(len(line) <= 100 for line in head.splitlines())
        assert "    migrate" in rest and "load_demo" not in rest


def test_a_command_on_an_unmigrated_database_says_to_migrate(tmp_path):
    """A new user who skips ``passerelle migrate`` is told to run it, not "no such table"."""
    sheet = tmp_path / "orgs.csv"
    sheet.write_text("name,kind\nInstitut Lyon,university\n")
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PASSERELLE_ENV"}}
    command = os.path.join(os.path.dirname(sys.executable), "passerelle")
    for argv in (
        ["import-sheet", str(sheet), "--type", "organizations"],
        ["commitments"],
    ):
        result = subprocess.run(
            [command, *argv],
            env={**clean, "PASSERELLE_DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert "run “passerelle migrate” first" in result.stderr, result.stderr
        assert "no such table" not in result.stderr


def test_every_command_that_needs_the_tables_checks_for_them():
    from django.core.management import get_commands, load_command_class

    from passerelle.core.management.base import DatabaseCommand

    # these need no tables, or make them (the demo migrates first; a backup copies what is)
    without = {"demo", "load_demo", "backup", "restore", "makemessages"}
    own = {name: app for name, app in get_commands().items() if app.startswith("passerelle.")}
    unchecked = {
        name
        for name, app in own.items()
        if not isinstance(load_command_class(app, name), DatabaseCommand)
    }
    assert unchecked == without


def test_a_database_with_pending_migrations_is_named_with_the_first(db, monkeypatch):
    from django.core.management.base import CommandError
    from django.db.migrations.executor import MigrationExecutor

    from passerelle.core.management import base

    monkeypatch.setattr(base, "_READY", set())

    def one_behind(self, targets, clean_start=False):
        return [(self.loader.graph.nodes[("registry", "0001_initial")], False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", one_behind)
    with pytest.raises(CommandError, match=r"registry\.0001_initial"):
        base.ensure_migrated()
