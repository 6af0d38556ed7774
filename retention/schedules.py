"""The Celery beat row that runs the retention scan nightly, kept in place after each `migrate`.

An existing row is left as it is: a team may move the hour or disable it (then run `manage.py retention_scan`).
"""

SCAN_TASK = "retention.tasks.scan_for_reviews"
SCAN_SCHEDULE_NAME = "Queue records due for a retention review"


def ensure_scan_schedule(**kwargs) -> None:
    """Create the nightly retention scan (02:30 UK time) where missing."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(name=SCAN_SCHEDULE_NAME, defaults={"task": SCAN_TASK, "crontab": nightly})
