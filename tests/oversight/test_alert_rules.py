import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Organisation, Role
from audit.alert_schedule import ALERT_SCHEDULE_NAME, ALERT_TASK, ensure_alert_schedule
from audit.models import Alert, AuditEvent
from audit.services import record
from oversight import alerts, services, tasks
from oversight.alerts.summary import summary
from oversight.permissions import can_review_alert
from tests.conftest import PASSWORD, sign_in_client
from tests.referrals.factories import make_referral

LONDON = ZoneInfo("Europe/London")


def at(time_machine, text: str) -> datetime:
    """Stop the clock at this London wall-clock time ("2026-07-15 22:30")."""
    moment = datetime.fromisoformat(text).replace(tzinfo=LONDON)
    time_machine.move_to(moment, tick=False)
    return moment


def view_cases(time_machine, user, count, every_seconds=3, case_ids=None, action="case.viewed"):
    """Record the user opening `count` cases (new ones unless given), one every few seconds."""
    case_ids = case_ids or [uuid.uuid4() for _ in range(count)]
    for number in range(count):
        record(by=user, action=action, case=case_ids[number % len(case_ids)])
        time_machine.shift(every_seconds)
    return case_ids


def alerts_of(rule):
    return list(Alert.objects.filter(rule=rule).order_by("id"))


@pytest.fixture
def officer(make_user):
    return make_user(Role.PREVENT_OFFICER)


@pytest.fixture
def named(make_organisation):
    """Make a Prevent officer with the given full name."""

    def make(full_name):
        return accounts.create_user(
            by=None,
            email=f"{uuid.uuid4().hex[:10]}@police.example",
            full_name=full_name,
            organisation=make_organisation(Organisation.Kind.POLICE_PREVENT),
            roles=[Role.PREVENT_OFFICER],
            password=PASSWORD,
        )

    return make


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


# Dormant accounts (default: 90 days)


def test_an_active_account_unused_for_90_days_raises_a_dormant_alert(make_user, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=91), tick=False)
    never = make_user(Role.REFERRER)
    once = make_user(Role.REFERRER)
    sign_in_client(Client(), once)
    time_machine.move_to(timezone.now() + timedelta(days=91), tick=False)

    assert alerts.raise_dormant_account_alerts() == 2

    found = {alert.user: alert for alert in alerts_of(Alert.Rule.DORMANT_ACCOUNT)}
    assert found[never].details == {"never_signed_in": True}
    assert found[once].details == {"never_signed_in": False}
    assert found[once].count == 91


def test_a_recently_used_or_deactivated_account_raises_no_dormant_alert(make_user, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=200), tick=False)
    recent, gone = make_user(Role.REFERRER), make_user(Role.REFERRER)
    accounts.update_user(
        gone,
        by=None,
        email=gone.email,
        full_name=gone.full_name,
        organisation=gone.organisation,
        roles=gone.role_names,
        is_active=False,
    )
    time_machine.move_to(timezone.now() + timedelta(days=190), tick=False)
    sign_in_client(Client(), recent)
    time_machine.move_to(timezone.now() + timedelta(days=10), tick=False)
    make_user(Role.REFERRER)  # new, never signed in yet

    assert alerts.raise_dormant_account_alerts() == 0


def test_signing_in_again_after_a_dormant_alert_starts_a_new_period(make_user, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=200), tick=False)
    user = make_user(Role.REFERRER)
    time_machine.move_to(timezone.now() + timedelta(days=100), tick=False)
    alerts.raise_dormant_account_alerts()
    sign_in_client(Client(), user)
    time_machine.move_to(timezone.now() + timedelta(days=100), tick=False)
    alerts.raise_dormant_account_alerts()

    assert len(alerts_of(Alert.Rule.DORMANT_ACCOUNT)) == 2


# A police account made or changed, then its password set (default window: 72 hours)

TAKEOVER = Alert.Rule.ACCOUNT_CHANGE_PASSWORD
NEW_PASSWORD = "seven quiet harbour lanterns"


@pytest.fixture
def police(make_organisation):
    return make_organisation(Organisation.Kind.POLICE_PREVENT)


def password_from_link(user):
    return accounts.set_password(user, by=user, password=NEW_PASSWORD, how="link")


def test_a_police_account_made_by_an_administrator_then_given_a_password_raises_an_alert(
    make_user, police, time_machine
):
    at(time_machine, "2026-07-15 10:00")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    user = accounts.create_user(
        by=admin,
        email="robin@police.example",
        full_name="Robin New",
        organisation=police,
        roles=[Role.SUPERVISOR],
        reason="New starter.",
    )
    time_machine.shift(3 * 3600)
    password_from_link(user)

    assert alerts.raise_account_change_alerts() == 1

    [alert] = alerts_of(TAKEOVER)
    password = AuditEvent.objects.get(action="auth.password_changed")
    assert (alert.user, alert.count, alert.key) == (user, 1, f"password:{password.pk}")
    assert alert.details["changes"] == ["user.created"] and alert.details["changed_by_ids"] == [admin.pk]
    assert alert.window_end == password.occurred_at
    assert summary(alert) == "Password set within 72 hours of the account being made"
    assert alerts.raise_all_alerts()[TAKEOVER] == 0
    assert len(alerts_of(TAKEOVER)) == 1


def test_an_approved_new_email_address_then_a_password_alerts_and_neither_person_may_review_it(
    make_user, police, time_machine
):
    from accounts import changes

    at(time_machine, "2026-07-15 10:00")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    approver, reviewer = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    time_machine.shift(100 * 3600)  # made long before: only the changes count
    accounts.update_user(
        officer,
        by=admin,
        email="robin@mail.example",
        full_name=officer.full_name,
        organisation=police,
        roles=officer.role_names,
        is_active=True,
        reason="Mailbox moved.",
    )
    accounts.reset_mfa(officer, by=admin, reason="Lost phone.")
    for change in officer.change_requests.all():
        changes.approve(change, by=approver)
    time_machine.shift(600)
    password_from_link(officer)

    assert alerts.raise_account_change_alerts() == 1

    [alert] = alerts_of(TAKEOVER)
    assert alert.user == officer and alert.count == 2
    assert alert.details["changes"] == ["mfa.reset", "user.email_changed"]
    assert alert.details["changed_by_ids"] == sorted([admin.pk, approver.pk])
    assert "a new e-mail address" in summary(alert)
    assert not can_review_alert(approver, alert) and can_review_alert(reviewer, alert)


def test_a_password_set_after_the_window_or_on_a_partners_account_raises_no_alert(make_user, police, time_machine):
    at(time_machine, "2026-07-15 10:00")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    late = accounts.create_user(
        by=admin, email="late@police.example", full_name="Late Starter", organisation=police, roles=[], reason=""
    )
    partner = make_user(Role.REFERRER)
    accounts.update_user(
        partner,
        by=admin,
        email="dana.new@hill.example",
        full_name=partner.full_name,
        organisation=partner.organisation,
        roles=partner.role_names,
        is_active=True,
    )
    time_machine.shift(73 * 3600)
    password_from_link(late)
    password_from_link(partner)

    assert alerts.raise_account_change_alerts() == 0


def test_a_police_officer_changing_their_own_password_raises_no_alert(make_user, police, time_machine):
    at(time_machine, "2026-07-15 10:00")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    officer = accounts.create_user(
        by=admin, email="robin@police.example", full_name="Robin New", organisation=police, roles=[], reason=""
    )
    # Changing a password needs the old one: only a one-time link lets someone else set it.
    accounts.set_password(officer, by=officer, password=NEW_PASSWORD, how="changed")

    assert alerts.raise_account_change_alerts() == 0


def test_the_account_change_window_comes_from_settings(make_user, police, time_machine, settings):
    settings.ALERT_ACCOUNT_CHANGE_HOURS = 1
    at(time_machine, "2026-07-15 10:00")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    user = accounts.create_user(
        by=admin, email="robin@police.example", full_name="Robin New", organisation=police, roles=[], reason=""
    )
    time_machine.shift(2 * 3600)
    password_from_link(user)
    assert alerts.raise_account_change_alerts() == 0
    settings.ALERT_ACCOUNT_CHANGE_HOURS = 3
    assert alerts.raise_account_change_alerts() == 1


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
    ensure_alert_schedule()
    ensure_alert_schedule()

    task = PeriodicTask.objects.get(name=ALERT_SCHEDULE_NAME)
    assert (task.task, task.interval.every, task.interval.period) == (ALERT_TASK, 15, IntervalSchedule.MINUTES)
    assert task.enabled
    app.loader.import_default_modules()
    assert ALERT_TASK in app.tasks


def test_the_beat_row_a_team_changed_is_left_as_it_is(db):
    from django_celery_beat.models import PeriodicTask

    ensure_alert_schedule()
    PeriodicTask.objects.filter(name=ALERT_SCHEDULE_NAME).update(enabled=False)
    ensure_alert_schedule()

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

    assert "Raised 1 new alerts." in capsys.readouterr().out
    assert Alert.objects.count() == 1


# The dashboard and the review


def make_alert(user, rule=Alert.Rule.OUT_OF_HOURS, case_id=None, **fields):
    return Alert.objects.create(
        rule=rule,
        user=user,
        key=uuid.uuid4().hex,
        raised_at=timezone.now(),
        case_id=case_id,
        count=3,
        details={"minutes": 10},
        **fields,
    )


def test_the_dashboard_counts_alerts_by_rule_and_lists_those_to_review(signed_in, officer, make_user):
    supervisor = signed_in(Role.SUPERVISOR)
    case = make_referral(make_user(Role.REFERRER)).case
    make_alert(officer, Alert.Rule.BULK_VIEWING)
    make_alert(officer, Alert.Rule.NAME_MATCH, case_id=case.pk)
    make_alert(officer, reviewed_at=timezone.now(), reviewed_by=supervisor.user, review_note="Fine.")

    response = supervisor.get(reverse("audit:alerts"))

    assert response.status_code == 200
    counts = {count["rule"]: (count["unreviewed"], count["total"]) for count in response.context["counts"]}
    assert counts == {
        "outside_caseload": (0, 0),
        "bulk_viewing": (1, 1),
        "out_of_hours": (0, 1),
        "name_match": (1, 1),
        "dormant_account": (0, 0),
        "account_change_password": (0, 0),
    }
    rows = response.context["rows"]
    assert [row["alert"].rule for row in rows] == ["name_match", "bulk_viewing"]
    assert rows[0]["case_reference"] == case.reference
    assert "3 records opened within 10 minutes" in response.content.decode()


def test_viewing_the_dashboard_is_audited_with_the_ids_shown(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    shown = make_alert(officer)

    supervisor.get(reverse("audit:alerts"))

    event = AuditEvent.objects.get(action="alert.list_viewed")
    assert (event.actor, event.details["ids"], event.details["show"]) == (supervisor.user, [shown.pk], "unreviewed")


def test_the_dashboard_filters_by_rule_and_shows_reviewed_alerts_on_request(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    bulk = make_alert(officer, Alert.Rule.BULK_VIEWING)
    make_alert(officer, Alert.Rule.DORMANT_ACCOUNT)
    reviewed = make_alert(officer, reviewed_at=timezone.now(), reviewed_by=supervisor.user, review_note="Fine.")
    url = reverse("audit:alerts")

    by_rule = supervisor.get(url, {"rule": "bulk_viewing"})
    done = supervisor.get(url, {"show": "reviewed"})
    nonsense = supervisor.get(url, {"rule": "nonsense", "show": "x", "page": "abc"})

    assert [row["alert"] for row in by_rule.context["rows"]] == [bulk]
    assert [row["alert"] for row in done.context["rows"]] == [reviewed]
    assert "Reviewed by" in done.content.decode()
    assert nonsense.status_code == 200
    assert len(nonsense.context["rows"]) == 2


def test_the_alert_pages_are_never_cached_like_the_other_audit_screens(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(officer)
    for url in (reverse("audit:alerts"), reverse("audit:alert_review", args=[alert.pk]), reverse("audit:search")):
        response = supervisor.get(url)
        # never_cache's Expires (Cache-Control is "private, no-store" for every signed-in page).
        assert response.status_code == 200 and response.has_header("Expires"), url
        assert "no-store" in response["Cache-Control"]


def test_the_dashboard_runs_a_fixed_number_of_queries_however_many_alerts(
    signed_in, officer, make_user, django_assert_max_num_queries
):
    supervisor = signed_in(Role.SUPERVISOR)
    partner = make_user(Role.REFERRER)
    make_alert(officer, Alert.Rule.NAME_MATCH, case_id=make_referral(partner).case.pk)
    url = reverse("audit:alerts")
    supervisor.get(url)  # the session's first request does one-off work
    with django_assert_max_num_queries(10) as few:
        supervisor.get(url)
    for _ in range(30):
        make_alert(make_user(Role.PREVENT_OFFICER), Alert.Rule.NAME_MATCH, case_id=make_referral(partner).case.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = supervisor.get(url)
    assert len(response.context["rows"]) == 25
    assert response.context["page"].has_next()


def test_a_supervisor_reviews_an_alert_with_a_note_and_it_is_audited(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(officer, case_id=uuid.uuid4())
    url = reverse("audit:alert_review", args=[alert.pk])

    page = supervisor.get(url).content.decode()
    assert reverse("audit:case_history", args=[alert.case_id]) in page
    assert reverse("audit:user_activity", args=[officer.pk]) in page
    assert AuditEvent.objects.filter(action="alert.viewed", target_id=str(alert.pk), actor=supervisor.user).exists()
    response = supervisor.post(url, {"note": "Called the officer: was on call that night."})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.reviewed_by, alert.review_note) == (supervisor.user, "Called the officer: was on call that night.")
    event = AuditEvent.objects.get(action="alert.reviewed")
    assert (event.actor, event.target_type, event.target_id) == (supervisor.user, "audit.alert", str(alert.pk))
    assert event.case_id == alert.case_id
    assert event.details == {"rule": "out_of_hours", "about_user_id": officer.pk}
    assert "on call" not in str(event.details) + event.reason


def test_a_review_needs_a_note_and_keeps_what_was_typed(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(officer)
    url = reverse("audit:alert_review", args=[alert.pk])

    empty = supervisor.post(url, {"note": "   "})
    too_long = supervisor.post(url, {"note": "A careful note. " * 400})

    assert empty.status_code == too_long.status_code == 200
    assert "Enter a note about what you found" in empty.content.decode()
    assert "5,000 characters or fewer" in too_long.content.decode()
    assert "A careful note. A careful note." in too_long.content.decode()
    alert.refresh_from_db()
    assert alert.reviewed_at is None
    assert not AuditEvent.objects.filter(action="alert.reviewed").exists()


def test_a_supervisor_cannot_review_an_alert_about_themselves(signed_in):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(supervisor.user)
    url = reverse("audit:alert_review", args=[alert.pk])

    page = supervisor.get(url)
    response = supervisor.post(url, {"note": "Nothing to see here."})

    assert "another supervisor must review it" in page.content.decode()
    assert "Mark as reviewed" not in page.content.decode()
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.reviewed_at is None
    assert not AuditEvent.objects.filter(action="alert.reviewed").exists()


def test_the_supervisor_who_approved_an_account_change_cannot_review_its_alert(signed_in, officer, make_user):
    approver, admin = signed_in(Role.SUPERVISOR), make_user(Role.SYSTEM_ADMIN)
    alert = make_alert(officer, rule=TAKEOVER)
    alert.details = {"changes": ["user.email_changed"], "hours": 72, "changed_by_ids": [admin.pk, approver.user.pk]}
    alert.save(update_fields=["details"])
    url = reverse("audit:alert_review", args=[alert.pk])

    page = approver.get(url).content.decode()
    assert "This alert is about a change you made or approved: another supervisor must review it." in page
    assert admin.full_name in page and approver.user.full_name in page  # who changed the account, to look into
    assert "Password set within 72 hours of a new e-mail address" in page
    assert approver.post(url, {"note": "Fine."}).status_code == 403
    assert signed_in(Role.SUPERVISOR).post(url, {"note": "Checked with the officer."}).status_code == 302


def test_an_alert_is_reviewed_only_once(signed_in, officer, make_user):
    first, second = make_user(Role.SUPERVISOR), signed_in(Role.SUPERVISOR)
    alert = make_alert(officer)
    services.review_alert(alert, by=first, note="Fine.")

    response = second.post(reverse("audit:alert_review", args=[alert.pk]), {"note": "Also fine."})

    assert response.status_code == 200
    assert f"{first.full_name} already reviewed this alert" in response.content.decode()
    alert.refresh_from_db()
    assert (alert.reviewed_by, alert.review_note) == (first, "Fine.")


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.SYSTEM_ADMIN, Role.REFERRER])
def test_only_supervisors_see_or_review_alerts(signed_in, officer, role):
    client = signed_in(role)
    alert = make_alert(officer)

    assert client.get(reverse("audit:alerts")).status_code == 403
    assert client.post(reverse("audit:alert_review", args=[alert.pk]), {"note": "x"}).status_code == 403
    alert.refresh_from_db()
    assert alert.reviewed_at is None


def test_reviewing_an_alert_that_does_not_exist_is_not_found(signed_in):
    assert signed_in(Role.SUPERVISOR).get(reverse("audit:alert_review", args=[999999])).status_code == 404
