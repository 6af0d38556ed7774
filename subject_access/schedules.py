"""The Celery beat schedule that deletes released exports, kept in place after each `migrate`."""


def ensure_schedules(**kwargs) -> None:
    """Create the nightly deletion of expired subject access exports where missing."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(
        name="Delete released subject access exports past their keeping period",
        defaults={"task": "subject_access.tasks.delete_expired_exports", "crontab": nightly},
    )
