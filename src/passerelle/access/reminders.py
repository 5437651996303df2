"""Reminders by e-mail: each desk item, at each threshold it reaches, once, to its owner.

The desk (core.desk) lists what needs action for the user who opens it; reminders are
the same items, mailed. Every day the run asks every desk source as every active staff
member with an e-mail address, in that person's language, so that a person is reminded
only of what they read. An item goes:

- to its owner (``Attention.owner_id``: the agreement's, the follow-up action's), when
  the owner is active staff with an address;
- otherwise to the editors and administrators who read it (those who may decide).

One mail per person and run lists their new items. Each item is recorded
(``ReminderSent``: key, threshold, recipient) once its mail is sent: a rerun sends nothing
twice, a later threshold of the same item ("90" days after "180") sends again, and a mail
that failed records nothing, so the next run tries again. Items without a threshold
(a fresh draft) are shown on the desk and never mailed.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passerelle.core.desk import Attention, desk_sources, gather
from passerelle.core.querysets import publishes

from .models import LanguagePreference, ReminderSent

logger = logging.getLogger(__name__)


@dataclass
class Reminder:
    """The mail one person is due: their new items, in their language."""

    recipient: object
    language: str
    items: list[Attention]

    @property
    def address(self) -> str:
        return self.recipient.email


@dataclass
class RunReport:
    """What a run did: the mails sent, and those that failed with why."""

    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)

    @property
    def items_sent(self) -> int:
        return sum(len(r.items) for r in self.sent)


def language_of(user, known: dict[int, str]) -> str:
    """The user's language if known (LanguagePreference), else the site's."""
    language = known.get(user.pk) or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def recipients():
    """Who may be mailed: active staff with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )


def due_reminders(today: datetime.date | None = None) -> list[Reminder]:
    """The mails due today (see the module docstring); reads, writes nothing."""
    today = today or timezone.localdate()
    people = list(recipients())
    mailable = {person.pk for person in people}
    known = dict(LanguagePreference.objects.values_list("user_id", "language"))
    sent = set(
        ReminderSent.objects.filter(recipient__in=mailable).values_list(
            "key", "threshold", "recipient_id"
        )
    )
    sources = desk_sources()
    owners = {s.name: set(s.owners()) for s in sources if s.owners is not None}
    due = []
    for person in people:
        language = language_of(person, known)
        decides = publishes(person)
        # who decides nothing is reminded only of what they own: not asked the rest
        asked = [
            source
            for source in sources
            if decides or source.owners is None or person.pk in owners[source.name]
        ]
        with translation.override(language):
            sections = gather(person, today, sources=asked)
        items = []
        for section in sections:
            for item in section.items:
                if not item.threshold or (item.key, item.threshold, person.pk) in sent:
                    continue
                owned = item.owner_id is not None and item.owner_id in mailable
                if (owned and item.owner_id == person.pk) or (not owned and decides):
                    items.append(item)
        if items:
            due.append(Reminder(person, language, items))
    return due


def base_url() -> str:
    """Where the back office is served, for the links in mails (PASSERELLE_BASE_URL)."""
    return settings.PASSERELLE_BASE_URL.rstrip("/")


def compose(reminder: Reminder) -> tuple[str, str]:
    """The subject and text of one reminder, in its language."""
    with translation.override(reminder.language):
        count = len(reminder.items)
        subject = ngettext(
            "Passerelle: %(count)d thing needs your attention",
            "Passerelle: %(count)d things need your attention",
            count,
        ) % {"count": count}
        name = reminder.recipient.get_full_name() or reminder.recipient.get_username()
        lines = [
            _("Hello %(name)s,") % {"name": name},
            "",
            _("These items of your desk in Passerelle need your attention:"),
            "",
        ]
        for item in reminder.items:
            lines.append(f"- {item.label}")
            if item.due:
                lines.append("  " + _("Date: %(date)s") % {"date": date_format(item.due)})
            lines.append(f"  {base_url()}{item.url}")
        lines += [
            "",
            _("Your desk: %(url)s") % {"url": base_url() + reverse("admin:index")},
            _("You get each reminder once; this mail was sent by Passerelle."),
        ]
    return subject, "\n".join(lines) + "\n"


def send(reminder: Reminder) -> None:
    """Mail one reminder, then record its items as sent (nothing recorded if it fails)."""
    subject, body = compose(reminder)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.address])
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(
                    key=item.key,
                    threshold=item.threshold,
                    recipient=reminder.recipient,
                    source=item.source,
                    label=item.label[:500],
                    language=reminder.language,
                )
                for item in reminder.items
            ],
            ignore_conflicts=True,
        )


def run(today: datetime.date | None = None) -> RunReport:
    """Send every reminder due today; a failed mail is reported and left for the next run."""
    report = RunReport()
    for reminder in due_reminders(today):
        try:
            send(reminder)
        except Exception as error:  # SMTP errors, refused addresses, a network down
            logger.warning("reminder to %s failed: %s", reminder.address, error)
            report.failed.append((reminder, f"{type(error).__name__}: {error}"))
        else:
            report.sent.append(reminder)
    return report


def remember_language(user, language: str) -> None:
    """Record the language a staff member uses, for the mails sent to them."""
    if user is None or not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return
    LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})


def _signed_in(sender, request, user, **kwargs) -> None:
    language = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    if language and user.is_staff:
        remember_language(user, language[:2])
        if getattr(request, "session", None) is not None:
            request.session[SESSION_LANGUAGE] = language[:2]


#: The session's note of the language last recorded, so the desk records it once a change.
SESSION_LANGUAGE = "reminders_language"


def _desk_opened(sender, request, **kwargs) -> None:
    language = (getattr(request, "LANGUAGE_CODE", "") or "")[:2]
    session = getattr(request, "session", None)
    if not language or session is None or session.get(SESSION_LANGUAGE) == language:
        return
    remember_language(request.user, language)
    session[SESSION_LANGUAGE] = language


def connect() -> None:
    """Wired once, by AccessConfig.ready()."""
    from django.contrib.auth.signals import user_logged_in

    from passerelle.core.signals import desk_opened

    user_logged_in.connect(_signed_in, dispatch_uid="access-remember-language")
    desk_opened.connect(_desk_opened, dispatch_uid="access-desk-language")
