"""Running the rules again, after reviews, and by the Celery task, its beat row and the command."""

import uuid
from datetime import UTC, timedelta

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from audit.models import Alert
from audit.services import record
from config.beat import BY_NAME, ensure_beat_row
from oversight import alerts, services, tasks
from oversight.alerts.summary import summary
from tests.oversight.helpers import alerts_of, at, view_cases
from tests.referrals.factories import make_referral

ALERT_TASK = "audit.alerts.raise_alerts"  # the name the beat row stores
ALERT_SCHEDULE_NAME = "Raise alerts on unusual access"

# Idempotence


def test_running_every_rule_twice_raises_no_duplicates_and_only_grows_counts(officer, named, make_user, time_machine):
    case = make_referral(make_user(Role.REFERRER), surname="Example", forenames="Alex").case
    at(time_machine, "2026-07-15 22:00")
    record(by=named("Alex Example"), action="case.viewed", target=case)
    record(by=officer, action="case.break_glass", case=case.pk)
    view_cases(time_machine, officer, 60)

    first = alerts.raise_all_alerts()
    assert first == {
        "outside_caseload": 1,
        "bulk_viewing": 1,
        "out_of_hours": 2,
        "name_match": 1,
        "dormant_account": 0,
        "account_change_password": 0,
    }
    assert alerts.raise_all_alerts() == dict.fromkeys(first, 0)
    assert Alert.objects.count() == 5

    view_cases(time_machine, officer, 5)
    alerts.raise_all_alerts()
    assert Alert.objects.count() == 5
    assert alerts_of(Alert.Rule.BULK_VIEWING)[0].count == 66  # the case opened outside the caseload counts too
    # A day later the window no longer holds those events: the counts stay as they were.
    time_machine.shift(2 * 24 * 3600)
    alerts.raise_all_alerts()
    assert alerts_of(Alert.Rule.BULK_VIEWING)[0].count == 66


def test_activity_after_a_review_raises_a_new_alert_and_leaves_the_reviewed_one_as_it_was(
    officer, make_user, time_machine
):
    supervisor = make_user(Role.SUPERVISOR)
    at(time_machine, "2026-07-15 22:00")
    view_cases(time_machine, officer, 1)
    alerts.raise_out_of_hours_alerts()
    reviewed = services.review_alert(alerts_of(Alert.Rule.OUT_OF_HOURS)[0], by=supervisor, note="Was on call.")
    view_cases(time_machine, officer, 3)

    assert alerts.raise_out_of_hours_alerts() == 1

    first, after = alerts_of(Alert.Rule.OUT_OF_HOURS)
    assert (first.count, first.reviewed_by, first.review_note) == (1, supervisor, "Was on call.")
    assert first.key == "2026-07-15"
    assert first.window_end == reviewed.window_end
    assert (after.count, after.reviewed_at, after.review_note) == (3, None, "")
    assert after.key == f"2026-07-15:after:{reviewed.reviewed_at.astimezone(UTC).isoformat()}"
    assert after.details["after_alert_id"] == first.pk
    assert after.window_start == first.window_end < after.window_end
    assert summary(after).endswith(f"out of hours, since alert {first.pk} was reviewed")


def test_the_new_alert_after_a_review_grows_and_is_not_raised_twice(officer, make_user, time_machine):
    supervisor = make_user(Role.SUPERVISOR)
    at(time_machine, "2026-07-15 22:00")
    view_cases(time_machine, officer, 2)
    alerts.raise_out_of_hours_alerts()
    services.review_alert(alerts_of(Alert.Rule.OUT_OF_HOURS)[0], by=supervisor, note="Was on call.")
    view_cases(time_machine, officer, 1)
    alerts.raise_out_of_hours_alerts()
    view_cases(time_machine, officer, 2)

    assert alerts.raise_out_of_hours_alerts() == 0
    assert alerts.raise_out_of_hours_alerts() == 0

    assert [alert.count for alert in alerts_of(Alert.Rule.OUT_OF_HOURS)] == [2, 3]


def test_each_review_starts_a_new_alert_for_what_follows_it(officer, make_user, time_machine):
    supervisor = make_user(Role.SUPERVISOR)
    at(time_machine, "2026-07-15 22:00")
    for number in range(3):
        view_cases(time_machine, officer, number + 1)
        alerts.raise_out_of_hours_alerts()
        services.review_alert(alerts_of(Alert.Rule.OUT_OF_HOURS)[-1], by=supervisor, note=f"Seen {number}.")

    found = alerts_of(Alert.Rule.OUT_OF_HOURS)
    assert [(alert.count, alert.review_note) for alert in found] == [(1, "Seen 0."), (2, "Seen 1."), (3, "Seen 2.")]
    assert found[2].details["after_alert_id"] == found[1].pk


def test_a_reviewed_alert_with_nothing_new_raises_nothing(officer, make_user, time_machine):
    supervisor = make_user(Role.SUPERVISOR)
    at(time_machine, "2026-07-15 22:00")
    view_cases(time_machine, officer, 2)
    alerts.raise_out_of_hours_alerts()
    services.review_alert(alerts_of(Alert.Rule.OUT_OF_HOURS)[0], by=supervisor, note="Was on call.")
    time_machine.shift(3600)

    assert alerts.raise_out_of_hours_alerts() == 0
    # Hours later the look-back window holds fewer of that day's events: still nothing new.
    time_machine.shift(23 * 3600)
    assert alerts.raise_out_of_hours_alerts() == 0
    assert len(alerts_of(Alert.Rule.OUT_OF_HOURS)) == 1


def test_opening_a_case_outside_the_caseload_again_after_a_review_raises_a_new_alert(officer, make_user, time_machine):
    supervisor = make_user(Role.SUPERVISOR)
    at(time_machine, "2026-07-15 10:00")
    case_id = uuid.uuid4()
    record(by=officer, action="case.break_glass", case=case_id, reason_code="urgent_safeguarding")
    alerts.raise_outside_caseload_alerts()
    services.review_alert(alerts_of(Alert.Rule.OUTSIDE_CASELOAD)[0], by=supervisor, note="Known.")
    time_machine.shift(600)
    record(by=officer, action="case.break_glass", case=case_id, reason_code="urgent_safeguarding")

    assert alerts.raise_outside_caseload_alerts() == 1

    first, after = alerts_of(Alert.Rule.OUTSIDE_CASELOAD)
    assert (first.count, first.review_note) == (1, "Known.")
    assert (after.count, after.case_id, after.reviewed_at) == (1, case_id, None)


def test_a_higher_bulk_viewing_peak_after_a_review_raises_a_new_alert_and_a_lower_one_does_not(
    officer, make_user, time_machine
):
    supervisor = make_user(Role.SUPERVISOR)
    at(time_machine, "2026-07-15 10:00")
    view_cases(time_machine, officer, 55)
    alerts.raise_bulk_viewing_alerts()
    services.review_alert(alerts_of(Alert.Rule.BULK_VIEWING)[0], by=supervisor, note="Audit of files.")
    at(time_machine, "2026-07-15 11:00")
    view_cases(time_machine, officer, 52)

    assert alerts.raise_bulk_viewing_alerts() == 0

    at(time_machine, "2026-07-15 12:00")
    view_cases(time_machine, officer, 60)

    assert alerts.raise_bulk_viewing_alerts() == 1
    assert [alert.count for alert in alerts_of(Alert.Rule.BULK_VIEWING)] == [55, 60]


def test_a_reviewed_dormant_alert_is_not_raised_again_as_the_days_go_by(make_user, time_machine):
    supervisor = make_user(Role.SUPERVISOR)
    time_machine.move_to(timezone.now() - timedelta(days=200), tick=False)
    make_user(Role.REFERRER)
    time_machine.move_to(timezone.now() + timedelta(days=100), tick=False)
    alerts.raise_dormant_account_alerts()
    [alert] = alerts_of(Alert.Rule.DORMANT_ACCOUNT)
    services.review_alert(alert, by=supervisor, note="On leave.")
    time_machine.move_to(timezone.now() + timedelta(days=5), tick=False)

    assert alerts.raise_dormant_account_alerts() == 0

    alert.refresh_from_db()
    assert (alert.count, alert.review_note) == (100, "On leave.")


# The task, its schedule and the command


def test_the_beat_schedule_runs_the_registered_task_every_15_minutes(db):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from config.celery import app

    PeriodicTask.objects.filter(name=ALERT_SCHEDULE_NAME).delete()
    ensure_beat_row(BY_NAME[ALERT_SCHEDULE_NAME])
    ensure_beat_row(BY_NAME[ALERT_SCHEDULE_NAME])

    task = PeriodicTask.objects.get(name=ALERT_SCHEDULE_NAME)
    assert (task.task, task.interval.every, task.interval.period) == (ALERT_TASK, 15, IntervalSchedule.MINUTES)
    assert task.enabled
    app.loader.import_default_modules()
    assert ALERT_TASK in app.tasks


def test_the_beat_row_a_team_changed_is_left_as_it_is(db):
    from django_celery_beat.models import PeriodicTask

    ensure_beat_row(BY_NAME[ALERT_SCHEDULE_NAME])
    PeriodicTask.objects.filter(name=ALERT_SCHEDULE_NAME).update(enabled=False)
    ensure_beat_row(BY_NAME[ALERT_SCHEDULE_NAME])

    assert not PeriodicTask.objects.get(name=ALERT_SCHEDULE_NAME).enabled


def test_the_task_raises_alerts_through_celery(officer, time_machine, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    at(time_machine, "2026-07-15 23:00")
    view_cases(time_machine, officer, 1)

    result = tasks.raise_alerts.delay()

    assert result.get()["out_of_hours"] == 1
    assert alerts_of(Alert.Rule.OUT_OF_HOURS)[0].user == officer


def test_the_command_raises_alerts_and_says_how_many(officer, time_machine, capsys):
    at(time_machine, "2026-07-15 23:00")
    view_cases(time_machine, officer, 1)

    call_command("raise_alerts")

    assert "Raised 1 new alert." in capsys.readouterr().out
    assert Alert.objects.count() == 1
