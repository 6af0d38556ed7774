"""The daily reminder that retention reviews are waiting (a source of notifications.reminders)."""

from datetime import date

from django.urls import reverse

from notifications.models import Notification
from notifications.reminders import Reminder
from retention import selectors
from retention.models import RetentionReview


def reviews_waiting(today: date):
    """Yield one reminder to the reviewers when records wait for a decision or an erasure for approval."""
    waiting = RetentionReview.objects.filter(state__in=RetentionReview.OPEN_STATES).count()
    if waiting:
        yield Reminder(
            Notification.Kind.RETENTION_REVIEW_DUE,
            selectors.reviewers(),
            f"{waiting} to review",
            reverse("retention:queue"),
            f"retention:{today.isoformat()}",
        )
