"""Every Celery beat row the service needs, in one table, kept in place after each `migrate`.

`ensure_beat_rows` runs from post_migrate (connected once, in audit.apps), so a new or flushed database
always has them. A row is found by its name and created only where missing: an existing row is left as a
team set it (another time, or disabled). Beat rows store the task name, so a task keeps its name when its
code moves. To add a beat row: add a line here, naming a task in some app's `tasks.py`.
"""

from dataclasses import dataclass

UK = "Europe/London"


@dataclass(frozen=True)
class Every:
    """Run every so many minutes."""

    minutes: int


@dataclass(frozen=True)
class Daily:
    """Run once a day at this UK time."""

    hour: int
    minute: int


@dataclass(frozen=True)
class BeatRow:
    name: str
    task: str
    schedule: Every | Daily


BEAT = [
    BeatRow("Send e-mails waiting in the notification outbox", "notifications.tasks.drain_outbox", Every(1)),
    BeatRow("Send deadline and review reminders", "notifications.tasks.send_reminders", Daily(7, 0)),
    BeatRow("Send daily notification digests", "notifications.tasks.send_digests", Daily(7, 30)),
    BeatRow("Anchor the audit chain", "audit.tasks.anchor_audit_chain", Every(15)),
    BeatRow("Verify the audit chain", "audit.tasks.verify_audit_chain", Daily(3, 45)),
    BeatRow("Raise alerts on unusual access", "audit.alerts.raise_alerts", Every(15)),
    BeatRow("Erase forms kept at a session's end", "accounts.tasks.erase_expired_kept_forms", Every(5)),
    BeatRow("Delete stale referral drafts", "referrals.tasks.delete_stale_drafts", Daily(2, 15)),
    BeatRow("Queue records due for a retention review", "retention.tasks.scan_for_reviews", Daily(2, 30)),
    BeatRow(
        "Delete released subject access exports past their keeping period",
        "subject_access.tasks.delete_expired_exports",
        Daily(2, 15),
    ),
]
BY_NAME = {row.name: row for row in BEAT}


def _schedule(schedule: Every | Daily) -> dict:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if isinstance(schedule, Every):
        # Several rows share one interval: take the first, make one only where none exists.
        kind = {"every": schedule.minutes, "period": IntervalSchedule.MINUTES}
        interval = IntervalSchedule.objects.filter(**kind).order_by("id").first()
        return {"interval": interval or IntervalSchedule.objects.create(**kind)}
    kind = {
        "minute": str(schedule.minute),
        "hour": str(schedule.hour),
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": UK,
    }
    crontab = CrontabSchedule.objects.filter(**kind).order_by("id").first()
    return {"crontab": crontab or CrontabSchedule.objects.create(**kind)}


def ensure_beat_row(row: BeatRow) -> None:
    """Create one beat row where no row of that name exists."""
    from django_celery_beat.models import PeriodicTask

    if not PeriodicTask.objects.filter(name=row.name).exists():
        PeriodicTask.objects.create(name=row.name, task=row.task, **_schedule(row.schedule))


def ensure_beat_rows(**kwargs) -> None:
    """Create every row of BEAT that is missing (a post_migrate handler; idempotent)."""
    for row in BEAT:
        ensure_beat_row(row)
