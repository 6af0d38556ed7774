"""The alert rules about accounts: dormant accounts, and a police account changed then given a password."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Organisation, Role
from audit.models import Alert, AuditEvent
from oversight import alerts
from oversight.alerts.summary import summary
from oversight.permissions import can_review_alert
from tests.conftest import sign_in_client
from tests.oversight.helpers import TAKEOVER, alerts_of, at

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


def test_a_password_reset_by_email_after_an_approved_new_address_alerts(make_user, police, time_machine):
    from accounts import changes, reset

    at(time_machine, "2026-07-15 10:00")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    approver = make_user(Role.SUPERVISOR)
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    time_machine.shift(100 * 3600)
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
    changes.approve(officer.change_requests.get(), by=approver)
    time_machine.shift(600)
    reset.reset_password(officer, by=officer, password=NEW_PASSWORD, second_factor_given=True)

    assert alerts.raise_account_change_alerts() == 1
    [alert] = alerts_of(TAKEOVER)
    assert alert.user == officer and alert.details["changes"] == ["user.email_changed"]


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
