"""Reminders by e-mail: each desk item at each threshold, once, to its owner or the editors."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from passerelle.__main__ import main
from passerelle.access.models import LanguagePreference, ReminderSent
from passerelle.access.reminders import due_reminders, run
from passerelle.activities.models import Activity

from .doors_world import make_users


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every mail."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSERELLE_BASE_URL = "https://relations.example.org"


@pytest.fixture
def users(db):
    users = make_users()
    for name, user in users.items():
        user.email = f"{name}@example.org"
        user.save()
    return users


def _ending(title: str, end: datetime.date, **fields) -> Activity:
    return Activity.objects.create(
        kind="agreement",
        status="signed",
        title_en=title,
        end=end.isoformat(),
        visibility=fields.pop("visibility", "public"),
        **fields,
    )


def _to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_once_per_threshold_then_again_at_the_next(users):
    today = timezone.localdate()
    end = today + datetime.timedelta(days=150)
    _ending("Pact with Turin", end)
    report = run(today)
    # unowned: to the editors who read it (editor, keeper, administrator), not viewers
    addresses = sorted(r.address for r in report.sent)
    assert addresses == ["administrator@example.org", "editor@example.org", "keeper@example.org"]
    message = _to("editor@example.org")[0]
    assert "Pact with Turin" in message.body
    assert "https://relations.example.org/en/admin/activities/activity/" in message.body
    assert message.subject == "Passerelle: 1 thing needs your attention"
    assert ReminderSent.objects.filter(threshold="180").count() == 3
    mail.outbox.clear()
    assert run(today).sent == [] and mail.outbox == []  # a rerun sends nothing
    assert run(today + datetime.timedelta(days=10)).sent == []  # still the 180 threshold
    report = run(end - datetime.timedelta(days=90))  # the 90-day threshold: again
    assert len(report.sent) == 3
    assert ReminderSent.objects.filter(threshold="90").count() == 3
    assert run(end - datetime.timedelta(days=89)).sent == []


def test_an_owned_item_goes_to_its_owner_only(users):
    today = timezone.localdate()
    keeper = users["keeper"]
    _ending(
        "Secret pact ZYXQ",
        today + datetime.timedelta(days=20),
        owner=keeper,
        visibility="confidential",
    )
    _ending(
        "Pact of a contributor", today + datetime.timedelta(days=20), owner=users["contributor"]
    )
    run(today)
    assert [m.to for m in mail.outbox if "ZYXQ" in m.body] == [["keeper@example.org"]]
    assert [m.to for m in mail.outbox if "contributor" in m.body] == [["contributor@example.org"]]


def test_who_decides_nothing_is_asked_only_the_sources_where_they_own_something(users):
    """A viewer or a contributor is reminded only of what they own: the reminders do not
    run a source for them (the commitment checker, for each of them) when they own none of
    its items, and still do when they own one."""
    from passerelle.core import desk

    today = timezone.localdate()
    asked = []

    def pledges(user, today):
        asked.append(user.username)
        yield desk.Attention(
            source="pledges", key="pledge:1", label="Pledge of the contributor", url="/",
            owner_id=users["contributor"].pk, threshold="due",
        )  # fmt: skip

    kept = dict(desk._sources)
    try:
        owners = lambda: {users["contributor"].pk}  # noqa: E731
        desk.register_source("pledges", "Pledges", pledges, owners=owners)
        run(today)
    finally:
        desk._sources.clear()
        desk._sources.update(kept)
    assert sorted(asked) == ["door-administrator", "door-contributor", "door-editor", "door-keeper"]
    assert [m.to for m in mail.outbox if "Pledge" in m.body] == [["contributor@example.org"]]
    # the commitment and agreement sources name who owns an agreement
    sources = {s.name: s for s in desk.desk_sources()}
    _ending("Pact of a viewer", today + datetime.timedelta(days=20), owner=users["viewer"])
    assert set(sources["commitments"].owners()) == {users["viewer"].pk}
    assert set(sources["agreements"].owners()) == {users["viewer"].pk}
    assert not sources["drafts"].owners() and not sources["import_conflicts"].owners()


def test_an_owner_who_cannot_be_mailed_leaves_it_to_the_editors(users):
    today = timezone.localdate()
    owner = users["contributor"]
    owner.email = ""
    owner.save()
    _ending("Pact of a silent owner", today + datetime.timedelta(days=20), owner=owner)
    run(today)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "administrator@example.org",
        "editor@example.org",
        "keeper@example.org",
    ]


def test_the_recipients_language(users):
    today = timezone.localdate()
    LanguagePreference.objects.create(user=users["editor"], language="fr")
    _ending("Pacte avec Turin", today + datetime.timedelta(days=20))
    run(today)
    french = _to("editor@example.org")[0]
    assert french.subject == "Passerelle : 1 élément demande votre attention"
    assert "décidez de son renouvellement" in french.body
    assert "/fr/admin/" in french.body
    assert _to("administrator@example.org")[0].subject.startswith("Passerelle: 1 thing")
    assert ReminderSent.objects.get(recipient=users["editor"]).language == "fr"


def test_signing_in_records_the_language(client, users):
    client.post(
        "/fr/admin/login/?next=/fr/admin/",
        {"username": "door-viewer", "password": "pw-doors-1"},
    )
    assert LanguagePreference.objects.get(user=users["viewer"]).language == "fr"
    client.get("/en/admin/")  # the desk opened in English
    assert LanguagePreference.objects.get(user=users["viewer"]).language == "en"


def test_a_failed_mail_records_nothing_and_is_tried_again(users, settings):
    today = timezone.localdate()
    _ending("Pact with Turin", today + datetime.timedelta(days=20))
    settings.EMAIL_BACKEND = "tests.test_reminders.RefusingBackend"
    with pytest.raises(CommandError, match=r"could not be sent.*the next run tries again"):
        call_command("remind")
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("remind")
    assert len(mail.outbox) == 3 and ReminderSent.objects.count() == 3


def test_dry_run_lists_and_writes_nothing(users, capsys):
    today = timezone.localdate()
    _ending("Pact with Turin", today + datetime.timedelta(days=20))
    call_command("remind", "--dry-run")
    out = capsys.readouterr().out
    assert "would send to editor@example.org (en): 1 item(s)" in out
    assert "@ 30" in out and "Pact with Turin" in out
    assert "nothing sent, nothing recorded" in out
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert len(due_reminders(today)) == 3  # still due


def test_the_cli_runs_and_enqueues(users, capsys):
    today = timezone.localdate()
    _ending("Pact with Turin", today + datetime.timedelta(days=20))
    call_command("remind", "--enqueue")  # the tests' task backend runs it at once
    assert "Reminders queued as task" in capsys.readouterr().out
    assert len(mail.outbox) == 3
    # last: the command line closes the database connections when its command ends
    main(["passerelle", "remind"])
    assert "0 mail(s) sent" in capsys.readouterr().out


def test_the_cli_refuses_bad_input_clearly(users, capsys):
    with pytest.raises(SystemExit):
        main(["passerelle", "remind", "--bogus"])
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["passerelle", "remind", "--today", "tomorrow"])
    assert "--today" in capsys.readouterr().err
    with pytest.raises(CommandError, match="drop --dry-run"):
        call_command("remind", "--enqueue", "--dry-run")


def test_a_fresh_draft_is_shown_but_not_mailed_a_waiting_one_is(users):
    from passerelle.registry.models import Organization

    Organization.objects.create(
        name="Draft Institute", kind="university", draft=True, owner=users["contributor"]
    )
    today = timezone.localdate()
    assert run(today).sent == []
    # eight days on, still unpublished (time passes; no edit renews the desk's kept list)
    report = run(today + datetime.timedelta(days=8))
    assert sorted(r.address for r in report.sent) == [
        "administrator@example.org",
        "editor@example.org",
        "keeper@example.org",
    ]
    assert "Draft Institute" in mail.outbox[0].body


def _mail_settings(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.EMAIL_BACKEND, getattr(settings, 'EMAIL_HOST', ''), "
        "getattr(settings, 'EMAIL_PORT', ''), getattr(settings, 'EMAIL_HOST_PASSWORD', ''), "
        "getattr(settings, 'EMAIL_USE_TLS', ''), getattr(settings, 'EMAIL_USE_SSL', ''), sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            **env,
            "PASSERELLE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "passerelle.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_mail_settings_from_the_environment(tmp_path):
    console = _mail_settings({}, tmp_path)
    assert console.stdout.startswith("django.core.mail.backends.console.EmailBackend")
    smtps = _mail_settings({"EMAIL_URL": "smtps://clerk:p%40ss@mail.example.org"}, tmp_path)
    assert smtps.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "465",
        "p@ss",
        "False",
        "True",
    ], smtps.stderr
    host = _mail_settings({"EMAIL_HOST": "relay.example.org", "EMAIL_PORT": "2525"}, tmp_path)
    assert host.stdout.strip().split("|")[1:] == ["relay.example.org", "2525", "", "True", "False"]
    wrong = _mail_settings({"EMAIL_URL": "imap://mail.example.org"}, tmp_path)
    assert wrong.returncode != 0 and "EMAIL_URL: unknown scheme 'imap'" in wrong.stderr
