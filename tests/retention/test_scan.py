"""The nightly scan: every rule on a test clock, under-18 periods, drafts, holds, idempotence, batching."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Role
from audit.models import AuditEvent
from cases import services as case_services
from cases.models import Outcome
from referrals.models import Referral
from retention import scan, services
from retention.models import RetentionDecision, RetentionReview, RetentionRule
from tests.referrals.factories import make_draft
from tests.retention.factories import CLOSED_ON, closed_case

CLOSED_DAY = CLOSED_ON.date()


def on(day: date):
    """Run the scan with the clock set to noon UK time on `day`, as beat would that night."""
    with time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False):
        return scan.scan()


def waiting(case):
    return RetentionReview.objects.filter(case=case, state=RetentionReview.State.WAITING)


def test_the_defaults_are_seeded_by_the_migration(db):
    rules = {rule.key: (rule.period, rule.unit, rule.under_18_period) for rule in RetentionRule.objects.all()}
    assert rules == {
        "nfa": (3, "years", None),
        "nfa_mistaken": (3, "years", None),
        "signposted": (6, "years", None),
        "police_led": (6, "years", None),
        "pursue": (6, "years", None),
        "channel": (6, "years", None),
        "draft": (28, "days", None),
    }


@pytest.mark.parametrize(
    ("outcome", "years"),
    [
        (Outcome.NFA, 3),
        (Outcome.NFA_MISTAKEN, 3),
        (Outcome.SIGNPOSTED, 6),
        (Outcome.POLICE_LED, 6),
        (Outcome.PURSUE, 6),
        (Outcome.CHANNEL, 6),
    ],
)
def test_each_outcome_is_queued_on_the_day_its_period_ends_and_not_before(outcome, years, make_user):
    case = closed_case(make_user, outcome=outcome)
    due = CLOSED_DAY.replace(year=CLOSED_DAY.year + years)

    assert on(due - timedelta(days=1)).queued == 0
    assert not waiting(case).exists()

    assert on(due).queued == 1
    review = waiting(case).get()
    assert (review.due_on, review.rule_key, review.reference) == (due, outcome, case.reference)
    assert review.rule_code == f"{outcome.replace('_', '-')}-{years}-years"
    assert review.record_id == case.pk and review.under_18 is False


def test_running_the_scan_twice_adds_nothing(make_user):
    case = closed_case(make_user)
    assert on(date(2024, 1, 1)).queued == 1
    assert on(date(2024, 1, 1)).queued == 0
    assert on(date(2024, 6, 1)).queued == 0
    assert RetentionReview.objects.filter(case=case).count() == 1


def test_a_changed_rule_applies_from_the_next_scan(make_user):
    supervisor = make_user(Role.SUPERVISOR)
    case = closed_case(make_user)
    rule = RetentionRule.objects.get(key="nfa")
    services.change_rule(rule, by=supervisor, period=18, unit="months", under_18_period=None)
    assert on(date(2021, 9, 9)).queued == 0
    assert on(date(2021, 9, 10)).queued == 1
    assert waiting(case).get().rule_code == "nfa-18-months"


def test_people_under_18_at_referral_follow_their_own_period_when_one_is_set(make_user):
    supervisor = make_user(Role.SUPERVISOR)
    rule = RetentionRule.objects.get(key="nfa")
    services.change_rule(rule, by=supervisor, period=3, unit="years", under_18_period=5)
    # Fifteen at referral, by exact date of birth; an adult by year of birth; an age given as a number.
    child = closed_case(make_user, dob_known="exact", date_of_birth="2004-06-01", birth_year=None)
    adult = closed_case(make_user, dob_known="year", birth_year=1990)
    teenager = closed_case(make_user, dob_known="age", approximate_age=17, birth_year=None)

    on(date(2023, 3, 10))
    assert waiting(adult).get().rule_code == "nfa-3-years"
    assert not waiting(child).exists() and not waiting(teenager).exists()

    on(date(2025, 3, 10))
    assert waiting(child).get().rule_code == "nfa-under-18-5-years"
    assert waiting(child).get().under_18 is True
    assert waiting(teenager).get().due_on == date(2025, 3, 10)


@pytest.mark.parametrize(
    ("person", "age"),
    [
        ({"dob_known": "exact", "date_of_birth": "2010-03-11"}, 15),
        ({"dob_known": "exact", "date_of_birth": "2010-03-10"}, 16),
        ({"dob_known": "age", "approximate_age": 17}, 17),
        # A year of birth alone: the younger of the two ages it allows.
        ({"dob_known": "year", "birth_year": 2008}, 17),
        ({"dob_known": "year"}, None),
        ({}, None),
    ],
)
def test_the_age_at_referral_comes_from_the_answers(person, age):
    assert scan.age_at_referral(person, date(2026, 3, 10)) == age


def test_drafts_are_queued_28_days_after_they_were_last_changed(make_user):
    partner = make_user(Role.REFERRER)
    with time_machine.travel(CLOSED_ON, tick=False):
        draft = make_draft(partner)
    assert on(CLOSED_DAY + timedelta(days=27)).queued == 0
    assert on(CLOSED_DAY + timedelta(days=28)).queued == 1
    review = RetentionReview.objects.get(referral=draft)
    assert (review.kind, review.rule_code, review.reference) == ("referral", "draft-28-days", "")


def test_a_record_under_legal_hold_is_not_queued_until_the_hold_is_lifted(make_user):
    supervisor = make_user(Role.SUPERVISOR)
    case = closed_case(make_user)
    hold = services.set_hold(case, by=supervisor, reason="Civil claim pending.")
    result = on(date(2024, 1, 1))
    assert (result.queued, result.held) == (0, 1)
    assert not RetentionReview.objects.filter(case=case).exists()

    services.lift_hold(hold, by=supervisor, reason="Claim settled.")
    assert on(date(2024, 1, 2)).queued == 1


def test_a_reopened_case_has_its_open_review_cancelled_and_a_new_closure_starts_again(make_user):
    case = closed_case(make_user)
    on(date(2024, 1, 1))
    review = waiting(case).get()
    with time_machine.travel(datetime(2024, 1, 2, 12, tzinfo=UTC), tick=False):
        case = case_services.move(case, by=make_user(Role.SUPERVISOR), action="reopen")
    assert on(date(2024, 1, 3)).cancelled == 1
    review.refresh_from_db()
    assert review.state == RetentionReview.State.CANCELLED
    decision = review.decisions.get()
    assert (decision.action, decision.by, decision.reason) == ("cancelled", None, "Case reopened since it was queued")


def test_a_kept_record_comes_back_on_its_next_review_date(make_user):
    supervisor = make_user(Role.SUPERVISOR)
    case = closed_case(make_user)
    on(date(2024, 1, 1))
    next_time = date.today() + timedelta(days=400)
    services.keep(waiting(case).get(), by=supervisor, reason="Linked to a live matter.", next_review_on=next_time)

    assert on(next_time - timedelta(days=1)).queued == 0
    result = on(next_time)
    assert (result.queued, result.requeued) == (1, 1)
    again = waiting(case).get()
    assert again.due_on == next_time and again.rule_code == "nfa-3-years"
    assert on(next_time + timedelta(days=1)).queued == 0
    assert RetentionReview.objects.filter(case=case).count() == 2


def test_the_scan_walks_in_batches_and_misses_nothing(make_user):
    cases = [closed_case(make_user, at=CLOSED_ON + timedelta(minutes=n)) for n in range(5)]
    with time_machine.travel(datetime(2024, 1, 1, 12, tzinfo=UTC), tick=False):
        assert scan.scan(batch_size=2).queued == 5
    assert set(RetentionReview.objects.values_list("case", flat=True)) == {case.pk for case in cases}


def test_the_scan_is_audited_once_with_its_counts_and_nothing_personal(make_user):
    closed_case(make_user)
    on(date(2024, 1, 1))
    event = AuditEvent.objects.get(action="retention.scanned")
    assert event.actor is None
    assert event.details["queued"] == 1 and event.details["today"] == "2024-01-01"


def test_the_command_and_the_task_run_the_scan(make_user, capsys):
    from retention.tasks import scan_for_reviews

    closed_case(make_user)
    with time_machine.travel(datetime(2024, 1, 1, 12, tzinfo=UTC), tick=False):
        call_command("retention_scan")
        assert "Queued 1 for review" in capsys.readouterr().out
        assert scan_for_reviews.delay().get() == 0


def test_migrate_schedules_the_nightly_scan(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="retention.tasks.scan_for_reviews")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "30", "Europe/London")


def test_cancelled_reviews_record_a_decision_for_a_removed_draft(make_user):
    from referrals import services as referral_services

    partner = make_user(Role.REFERRER)
    with time_machine.travel(CLOSED_ON, tick=False):
        draft = make_draft(partner)
    on(CLOSED_DAY + timedelta(days=30))
    review = RetentionReview.objects.get(referral=draft)
    referral_services.delete_draft(Referral.objects.get(pk=draft.pk), by=partner)
    on(CLOSED_DAY + timedelta(days=31))
    review.refresh_from_db()
    assert review.state == "cancelled" and review.referral is None
    assert RetentionDecision.objects.get(review=review).reason == "Record no longer held"
