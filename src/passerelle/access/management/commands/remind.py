"""``passerelle remind``: mail the desk's reminders due today (access.reminders)."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError

from passerelle.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Mail each desk item to its owner (or to the editors) at each threshold it reaches, "
        "once: what was sent is recorded, a rerun sends nothing twice. Run it daily (cron, "
        "a systemd timer), or with --enqueue to hand it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the mails that would be sent; send and record nothing.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the run on the task queue for the worker instead of running it here.",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Run as if on this day (YYYY-MM-DD): to check what a date will send.",
        )

    def handle(self, *args, **options):
        from passerelle.access import reminders

        if options["enqueue"]:
            if options["dry_run"] or options["today"]:
                raise CommandError("--enqueue runs today's reminders: drop --dry-run and --today.")
            from passerelle.access.tasks import send_reminders

            result = send_reminders.enqueue()
            self.stdout.write(f"Reminders queued as task {result.id}.")
            return
        today = options["today"]
        if options["dry_run"]:
            due = reminders.due_reminders(today)
            for reminder in due:
                self.stdout.write(
                    f"would send to {reminder.address} ({reminder.language}): "
                    f"{len(reminder.items)} item(s)"
                )
                for item in reminder.items:
                    when = f" [{item.due.isoformat()}]" if item.due else ""
                    self.stdout.write(f"  - {item.key} @ {item.threshold}{when}: {item.label}")
            self.stdout.write(
                f"Dry run: {len(due)} mail(s), {sum(len(r.items) for r in due)} item(s); "
                "nothing sent, nothing recorded."
            )
            return
        report = reminders.run(today)
        self.stdout.write(f"{len(report.sent)} mail(s) sent, {report.items_sent} item(s) reminded.")
        if report.failed:
            for reminder, why in report.failed:
                self.stderr.write(f"not sent to {reminder.address}: {why}")
            raise CommandError(
                f"{len(report.failed)} mail(s) could not be sent (see above); nothing was "
                "recorded for them, so the next run tries again. Check EMAIL_URL or EMAIL_HOST."
            )
