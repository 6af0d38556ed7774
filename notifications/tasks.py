"""Notification tasks. Arguments are ids only; each is safe to run twice."""

from celery import shared_task

from notifications import outbox, reminders


@shared_task
def send_email(*, email_id: int) -> bool:
    """Send one outbox e-mail unless it is already sent or another worker holds it."""
    return outbox.deliver(email_id)


@shared_task
def drain_outbox() -> int:
    """Send every due outbox e-mail (scheduled every minute by Celery beat)."""
    return outbox.drain()


@shared_task
def send_reminders() -> int:
    """Notify of deadlines and reviews due (scheduled daily); a second run the same day adds nothing."""
    return reminders.send_reminders()


@shared_task
def send_digests() -> int:
    """Send each digest user one e-mail with counts of what was held for them (scheduled daily)."""
    return outbox.send_digests()
