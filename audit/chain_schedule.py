"""The Celery beat rows that anchor the audit chain every 15 minutes and verify it nightly.

Run from post_migrate after each `migrate` (like referrals/reference_data.py). Existing rows are left as
they are: a team may change the times, but should not disable them.
"""

ANCHOR_TASK = "audit.tasks.anchor_audit_chain"
ANCHOR_SCHEDULE_NAME = "Anchor the audit chain"
ANCHOR_EVERY_MINUTES = 15
VERIFY_TASK = "audit.tasks.verify_audit_chain"
VERIFY_SCHEDULE_NAME = "Verify the audit chain"


def ensure_chain_schedule(**kwargs) -> None:
    """Create the anchoring and the nightly verification where missing."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=ANCHOR_EVERY_MINUTES, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(name=ANCHOR_SCHEDULE_NAME, defaults={"task": ANCHOR_TASK, "interval": every})
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(name=VERIFY_SCHEDULE_NAME, defaults={"task": VERIFY_TASK, "crontab": nightly})
