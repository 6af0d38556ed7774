"""Deadlines and reviews, found once a day and told to whoever must act.

Each reminder carries a key; the same key never notifies the same user twice, so running the task
twice (or on two workers) sends nothing more. "Due soon" keys name the due date (told once); "overdue"
keys name today (told once a day until it is done).

A source is a function of today's date yielding Reminders; each app keeps its own in `<app>/reminders.py`
and settings.NOTIFICATION_REMINDER_SOURCES names them (dotted paths, read in that order). To add one: write
the function, give it a kind in Notification.Kind, and add its path to the setting.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications import services


@dataclass(frozen=True)
class Reminder:
    kind: str
    recipients: list
    reference: str
    link: str
    key: str


def sources() -> list:
    """Return the reminder sources named in settings.NOTIFICATION_REMINDER_SOURCES, imported."""
    return [import_string(path) for path in settings.NOTIFICATION_REMINDER_SOURCES]


def send_reminders(today: date | None = None) -> int:
    """Notify everyone of what falls due; return how many notices were left. Idempotent per day."""
    today = today or timezone.localdate()
    sent = 0
    for source in sources():
        for reminder in source(today):
            try:
                with transaction.atomic():
                    sent += services.notify(
                        reminder.recipients,
                        kind=reminder.kind,
                        reference=reminder.reference,
                        link=reminder.link,
                        key=reminder.key,
                    )
            except IntegrityError:
                # Another run left the same reminder at the same moment: it is sent once, by that run.
                continue
    return sent
