"""Celery beat schedules for notifications, kept in place after each `migrate` (existing rows are left as set)."""


def ensure_schedules(**kwargs) -> None:
    """Create the outbox drain (every minute), daily reminders and daily digests where missing."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(
        name="Send e-mails waiting in the notification outbox",
        defaults={"task": "notifications.tasks.drain_outbox", "interval": every_minute},
    )
    for name, task, hour, minute in [
        ("Send deadline and review reminders", "notifications.tasks.send_reminders", "7", "0"),
        ("Send daily notification digests", "notifications.tasks.send_digests", "7", "30"),
    ]:
        daily, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/London",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": daily})
