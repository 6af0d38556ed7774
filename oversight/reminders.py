"""Reviews waiting for supervisors, told once a day (a source of notifications.reminders, named in
settings.NOTIFICATION_REMINDER_SOURCES)."""

import functools
from datetime import date

from django.urls import reverse

from audit.models import Alert
from cases.models import BreakGlass
from notifications import services
from notifications.models import Notification
from notifications.reminders import Reminder

K = Notification.Kind


def oversight_reminders(today: date):
    """Tell supervisors, once a day, how many access alerts and break-glass accesses wait for their review."""
    reviewers = functools.cache(services.audit_reviewers)
    alerts = Alert.objects.filter(reviewed_at__isnull=True).count()
    if alerts:
        yield Reminder(
            K.ALERTS_WAITING, reviewers(), f"{alerts} to review", reverse("audit:alerts"), f"alerts:{today.isoformat()}"
        )
    waiting = BreakGlass.objects.filter(reviewed_at__isnull=True).count()
    if waiting:
        yield Reminder(
            K.BREAK_GLASS_WAITING,
            reviewers(),
            f"{waiting} to review",
            reverse("cases:break_glass_queue"),
            f"break_glass:{today.isoformat()}",
        )
