"""Scheduled oversight work: thin tasks that call the alert rules."""

from celery import shared_task

from oversight.alerts import raise_all_alerts


# The name the beat row stores (django_celery_beat's PeriodicTask.task): kept from when this lived in audit.alerts.
@shared_task(name="audit.alerts.raise_alerts")
def raise_alerts() -> dict[str, int]:
    """Raise alerts on unusual access (scheduled every 15 minutes by Celery beat; safe to run twice)."""
    return raise_all_alerts()
