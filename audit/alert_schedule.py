"""The Celery beat row that raises alerts every 15 minutes, kept in place after each `migrate`.

Run from post_migrate (like referrals/reference_data.py). An existing row is left as it is: a team may
change the interval or disable it.
"""

ALERT_TASK = "audit.alerts.raise_alerts"
ALERT_SCHEDULE_NAME = "Raise alerts on unusual access"
EVERY_MINUTES = 15


def ensure_alert_schedule(**kwargs) -> None:
    """Create the every-15-minutes alert run where missing."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.filter(every=EVERY_MINUTES, period=IntervalSchedule.MINUTES).order_by("id").first()
    every = every or IntervalSchedule.objects.create(every=EVERY_MINUTES, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(name=ALERT_SCHEDULE_NAME, defaults={"task": ALERT_TASK, "interval": every})
