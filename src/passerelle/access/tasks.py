"""The reminders' daily run on the project's task queue (django-tasks; settings.TASKS).

django-tasks has no clock of its own: something outside enqueues the run once a day —
``passerelle remind --enqueue`` from cron or a systemd timer hands it to the worker, or
``passerelle remind`` runs it in that process (README, "The officer's day").
"""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def send_reminders() -> dict:
    """Mail every reminder due today (access.reminders.run); the counts, for the result."""
    report = reminders.run()
    return {
        "mails": len(report.sent),
        "items": report.items_sent,
        "failed": [f"{reminder.address}: {why}" for reminder, why in report.failed],
    }
