"""The alert rules about opening cases: outside the caseload, bulk viewing, out of hours, a name like the person's."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import Alert, AuditEvent
from audit.services import record
from oversight import alerts
from tests.oversight.helpers import alerts_of, at, view_cases
from tests.referrals.factories import make_referral

# Access outside caseload


def test_each_break_glass_opening_raises_an_alert_for_that_user_and_case(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    case_id = uuid.uuid4()
    record(by=officer, action="case.break_glass", case=case_id, reason_code="urgent_safeguarding")
    time_machine.shift(600)
    record(by=officer, action="case.break_glass", case=case_id, reason_code="urgent_safeguarding")

    assert alerts.raise_outside_caseload_alerts() == 1

    [alert] = alerts_of(Alert.Rule.OUTSIDE_CASELOAD)
    assert (alert.user, alert.case_id, alert.count, alert.key) == (officer, case_id, 2, f"{case_id}:2026-07-15")
    first = AuditEvent.objects.filter(action="case.break_glass").order_by("id").first()
    assert alert.details == {"first_event_id": first.pk}


def test_opening_a_case_in_ones_caseload_raises_no_outside_caseload_alert(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    record(by=officer, action="case.viewed", case=uuid.uuid4())

    assert alerts.raise_outside_caseload_alerts() == 0
    assert alerts_of(Alert.Rule.OUTSIDE_CASELOAD) == []


# Bulk viewing (defaults: more than 50 distinct records in 10 minutes)


def test_opening_more_than_the_limit_of_records_in_the_window_raises_a_bulk_viewing_alert(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    view_cases(time_machine, officer, 51)

    assert alerts.raise_bulk_viewing_alerts() == 1

    [alert] = alerts_of(Alert.Rule.BULK_VIEWING)
    assert (alert.user, alert.count, alert.key, alert.case_id) == (officer, 51, "2026-07-15", None)
    assert alert.window_end - alert.window_start == timedelta(minutes=10)
    assert alert.details == {"minutes": 10, "threshold": 50}


def test_opening_exactly_the_limit_of_records_raises_no_bulk_viewing_alert(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    view_cases(time_machine, officer, 50)

    assert alerts.raise_bulk_viewing_alerts() == 0


def test_a_burst_across_a_clock_boundary_is_caught_because_the_window_slides(officer, time_machine):
    at(time_machine, "2026-07-15 10:08")
    view_cases(time_machine, officer, 30)
    at(time_machine, "2026-07-15 10:10")
    view_cases(time_machine, officer, 30)

    alerts.raise_bulk_viewing_alerts()

    [alert] = alerts_of(Alert.Rule.BULK_VIEWING)
    assert alert.count == 60


def test_the_same_records_opened_again_and_again_are_not_bulk_viewing(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    view_cases(time_machine, officer, 200, every_seconds=2, case_ids=[uuid.uuid4() for _ in range(10)])

    assert alerts.raise_bulk_viewing_alerts() == 0


def test_many_records_opened_at_a_working_pace_are_not_bulk_viewing(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    view_cases(time_machine, officer, 100, every_seconds=24)  # 25 in any 10 minutes

    assert alerts.raise_bulk_viewing_alerts() == 0


def test_paging_through_list_pages_is_not_bulk_viewing(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    view_cases(time_machine, officer, 150, every_seconds=1, action="case.queue_viewed")

    assert alerts.raise_bulk_viewing_alerts() == 0


def test_a_record_opened_again_within_the_window_counts_once_and_keeps_counting(officer, time_machine):
    at(time_machine, "2026-07-15 10:00")
    first = view_cases(time_machine, officer, 1)
    time_machine.shift(300)
    # 49 new ones and the first again, 5 minutes later: 50 distinct in the window, not 51.
    view_cases(time_machine, officer, 49, every_seconds=1)
    view_cases(time_machine, officer, 1, case_ids=first)
    assert alerts.raise_bulk_viewing_alerts() == 0
    # Eight minutes on, the first view is out of the window but the second keeps the record in it.
    time_machine.shift(180)
    view_cases(time_machine, officer, 1)
    assert alerts.raise_bulk_viewing_alerts() == 1
    assert alerts_of(Alert.Rule.BULK_VIEWING)[0].count == 51


# Out of hours (defaults: 07:00-19:00, Monday to Friday, London time)


@pytest.mark.parametrize(
    "when",
    [
        "2026-07-15 22:30",  # a Wednesday night
        "2026-07-15 06:59",  # before the day starts
        "2026-07-15 19:30",  # 18:30 UTC: out of hours only in London summer time
        "2026-07-18 11:00",  # a Saturday
    ],
)
def test_personal_data_touched_out_of_hours_raises_one_alert_for_that_day(officer, time_machine, when):
    moment = at(time_machine, when)
    record(by=officer, action="case.viewed", case=uuid.uuid4())
    record(by=officer, action="referral.viewed", case=uuid.uuid4())
    time_machine.shift(60)

    assert alerts.raise_out_of_hours_alerts() == 1

    [alert] = alerts_of(Alert.Rule.OUT_OF_HOURS)
    assert (alert.user, alert.count, alert.key) == (officer, 2, moment.date().isoformat())


@pytest.mark.parametrize("when", ["2026-07-15 07:00", "2026-07-15 18:59", "2026-01-14 18:30"])
def test_personal_data_touched_in_working_hours_raises_no_out_of_hours_alert(officer, time_machine, when):
    at(time_machine, when)
    record(by=officer, action="case.viewed", case=uuid.uuid4())

    assert alerts.raise_out_of_hours_alerts() == 0


@pytest.mark.parametrize("when", ["2026-12-25 11:00", "2026-05-04 10:00"])  # Christmas Day, the May bank holiday
def test_personal_data_touched_on_a_bank_holiday_is_out_of_hours_all_day(officer, time_machine, when):
    moment = at(time_machine, when)
    record(by=officer, action="case.viewed", case=uuid.uuid4())
    time_machine.shift(60)

    assert alerts.raise_out_of_hours_alerts() == 1
    [alert] = alerts_of(Alert.Rule.OUT_OF_HOURS)
    assert alert.key == moment.date().isoformat()


def test_a_local_closure_day_is_out_of_hours_too(officer, time_machine, settings):
    settings.LOCAL_CLOSURE_DAYS = ["2026-07-15"]
    at(time_machine, "2026-07-15 11:00")  # a Wednesday, in working hours
    record(by=officer, action="case.viewed", case=uuid.uuid4())
    time_machine.shift(60)

    assert alerts.raise_out_of_hours_alerts() == 1


def test_signing_in_out_of_hours_is_not_personal_data_access(officer, time_machine):
    at(time_machine, "2026-07-15 23:00")
    record(by=officer, action="auth.signed_in")

    assert alerts.raise_out_of_hours_alerts() == 0


def test_working_hours_and_days_come_from_settings(officer, time_machine, settings):
    settings.ALERT_WORKING_HOURS = "08:30-17:00"
    settings.ALERT_WORKING_DAYS = [1, 2, 3, 4, 5, 6]
    at(time_machine, "2026-07-18 11:00")  # Saturday, now a working day
    record(by=officer, action="case.viewed", case=uuid.uuid4())
    assert alerts.raise_out_of_hours_alerts() == 0
    at(time_machine, "2026-07-15 08:15")
    record(by=officer, action="case.viewed", case=uuid.uuid4())
    assert alerts.raise_out_of_hours_alerts() == 1


# Name match


def test_a_user_named_like_the_person_referred_in_a_case_they_opened_raises_an_alert(make_user, named, time_machine):
    case = make_referral(make_user(Role.REFERRER), surname="Example", forenames="Alex").case
    same, alike = named("Alex Example"), named("Aleks Example")
    record(by=same, action="case.viewed", target=case)
    record(by=alike, action="case.viewed", target=case)
    record(by=alike, action="case.viewed", target=case)

    assert alerts.raise_name_match_alerts() == 2

    found = {alert.user: alert for alert in alerts_of(Alert.Rule.NAME_MATCH)}
    assert (found[same].case_id, found[same].count) == (case.pk, 1)
    assert found[same].key == f"{case.pk}:{timezone.localdate()}"
    assert found[same].details == {"matched": ["name", "sounds_like"]}
    assert (found[alike].count, found[alike].details) == (2, {"matched": ["sounds_like"]})


def test_a_user_with_another_name_or_who_did_not_open_the_case_raises_no_name_match(make_user, named):
    partner = make_user(Role.REFERRER)
    case = make_referral(partner, surname="Example", forenames="Alex").case
    other_case = make_referral(partner, surname="Different", forenames="Robin").case
    record(by=named("Sam Other"), action="case.viewed", target=case)
    record(by=named("Alex Example"), action="case.viewed", target=other_case)
    record(by=named("Alex"), action="case.viewed", target=case)

    assert alerts.raise_name_match_alerts() == 0


def test_opening_the_case_again_on_a_later_day_raises_a_new_name_match_alert(make_user, named, time_machine):
    case = make_referral(make_user(Role.REFERRER), surname="Example", forenames="Alex").case
    user = named("Alex Example")
    at(time_machine, "2026-07-15 10:00")
    record(by=user, action="case.viewed", target=case)
    record(by=user, action="case.viewed", target=case)
    assert alerts.raise_name_match_alerts() == 1
    at(time_machine, "2026-07-17 10:00")
    record(by=user, action="case.viewed", target=case)

    assert alerts.raise_name_match_alerts() == 1

    assert [(alert.key, alert.count) for alert in alerts_of(Alert.Rule.NAME_MATCH)] == [
        (f"{case.pk}:2026-07-15", 2),
        (f"{case.pk}:2026-07-17", 1),
    ]


def test_opening_the_case_again_the_same_day_grows_the_name_match_alert(make_user, named, time_machine):
    case = make_referral(make_user(Role.REFERRER), surname="Example", forenames="Alex").case
    user = named("Alex Example")
    at(time_machine, "2026-07-15 10:00")
    record(by=user, action="case.viewed", target=case)
    alerts.raise_name_match_alerts()
    at(time_machine, "2026-07-15 15:00")
    record(by=user, action="case.viewed", target=case)

    assert alerts.raise_name_match_alerts() == 0

    [alert] = alerts_of(Alert.Rule.NAME_MATCH)
    assert alert.count == 2


def test_name_keys_use_the_first_and_last_word_of_a_users_name():
    assert alerts.name_keys("Alex James Example") == alerts.name_keys("Example, Alex")
    assert ("name", "alex|example") in alerts.name_keys("Alex Example")
    assert alerts.name_keys("Cher") == set()
