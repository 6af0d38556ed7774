"""Every Celery beat row lives in config/beat.py; migrate creates the missing ones and leaves the rest."""

from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from config.beat import BEAT, Daily, Every, ensure_beat_rows

# Beat rows store the names and the task: these are today's, and a change here changes installed databases.
TODAYS_ROWS = {
    ("Send e-mails waiting in the notification outbox", "notifications.tasks.drain_outbox", Every(1)),
    ("Send deadline and review reminders", "notifications.tasks.send_reminders", Daily(7, 0)),
    ("Send daily notification digests", "notifications.tasks.send_digests", Daily(7, 30)),
    ("Anchor the audit chain", "audit.tasks.anchor_audit_chain", Every(15)),
    ("Verify the audit chain", "audit.tasks.verify_audit_chain", Daily(3, 45)),
    ("Raise alerts on unusual access", "audit.alerts.raise_alerts", Every(15)),
    ("Erase forms kept at a session's end", "accounts.tasks.erase_expired_kept_forms", Every(5)),
    ("Delete stale referral drafts", "referrals.tasks.delete_stale_drafts", Daily(2, 15)),
    ("Queue records due for a retention review", "retention.tasks.scan_for_reviews", Daily(2, 30)),
    (
        "Delete released subject access exports past their keeping period",
        "subject_access.tasks.delete_expired_exports",
        Daily(2, 15),
    ),
}


def _installed() -> set:
    rows = set()
    for task in PeriodicTask.objects.select_related("interval", "crontab"):
        if task.interval is not None:
            schedule = Every(task.interval.every)
        else:
            assert str(task.crontab.timezone) == "Europe/London"
            schedule = Daily(int(task.crontab.hour), int(task.crontab.minute))
        rows.add((task.name, task.task, schedule))
    return rows


def test_the_table_holds_exactly_todays_rows():
    assert {(row.name, row.task, row.schedule) for row in BEAT} == TODAYS_ROWS
    assert len(BEAT) == len(TODAYS_ROWS)


def test_every_row_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    assert {row.task for row in BEAT} <= set(app.tasks)


def test_migrate_creates_the_rows_and_running_it_again_changes_nothing(db):
    assert _installed() == TODAYS_ROWS
    PeriodicTask.objects.filter(name="Verify the audit chain").update(enabled=False)
    PeriodicTask.objects.filter(name="Send daily notification digests").delete()
    call_command("migrate", verbosity=0)
    ensure_beat_rows()
    assert _installed() == TODAYS_ROWS
    assert PeriodicTask.objects.count() == len(TODAYS_ROWS)
    assert not PeriodicTask.objects.get(name="Verify the audit chain").enabled  # a team's choice is kept
