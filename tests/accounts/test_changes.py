"""The administrators' two-person rules: privileged roles, a police account's e-mail address and two-factor reset.

An administrator asks; a supervisor who is neither the one who asked nor the account's holder approves (the change
applies, audited) or refuses; nobody does any of it to their own account.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import changes, permissions, services
from accounts.models import AccountChangeRequest, Organisation, Role, User
from audit.models import AuditEvent
from notifications.models import Email, Notification
from tests.conftest import sign_in_client

K, S, N = AccountChangeRequest.Kind, AccountChangeRequest.Status, Notification.Kind
WHY = "Joins the Prevent team on Monday (ticket IT-4821)."


@pytest.fixture
def police(make_organisation):
    return make_organisation(Organisation.Kind.POLICE_PREVENT, name="Northshire Police Prevent Team")


@pytest.fixture
def admin(make_user, police):
    return make_user(Role.SYSTEM_ADMIN, organisation=police)


@pytest.fixture
def supervisors(make_user, police):
    return make_user(Role.SUPERVISOR, organisation=police), make_user(Role.SUPERVISOR, organisation=police)


def new_officer(admin, police, **changes_):
    fields = {
        "email": "new.officer@police.example",
        "full_name": "Robin New",
        "organisation": police,
        "roles": [Role.PREVENT_OFFICER],
        "reason": WHY,
        **changes_,
    }
    return services.create_user(by=admin, **fields)


def edit(user, *, by, **changes_):
    fields = {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation,
        "roles": user.role_names,
        "is_active": user.is_active,
        "reason": WHY,
        **changes_,
    }
    return services.update_user(user, by=by, **fields)


def waiting(user, kind):
    return AccountChangeRequest.objects.get(subject=user, kind=kind, status=S.REQUESTED)


def notified(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def actions_about(user):
    return list(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# Asking


def test_a_police_role_given_at_creation_waits_for_a_supervisors_approval(
    admin, police, supervisors, make_user, django_capture_on_commit_callbacks
):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    with django_capture_on_commit_callbacks(execute=True):
        user = new_officer(admin, police, roles=[Role.PREVENT_OFFICER, Role.PANEL_MEMBER])

    # The account is made and can set its password, but holds only the roles that need no approval.
    assert user.is_active and user.role_names == ["panel_member"]
    change = waiting(user, K.GRANT_ROLES)
    assert (change.roles, change.requested_by, change.reason) == (["prevent_officer"], admin, WHY)
    assert change.summary == "Give the Prevent officer role"
    created = AuditEvent.objects.get(action="user.created", target_id=str(user.pk))
    assert created.details["roles"] == ["panel_member"] and created.details["held_roles"] == ["prevent_officer"]
    asked = AuditEvent.objects.get(action="account_change.requested")
    assert (asked.actor, asked.target_id, asked.details["subject_id"]) == (admin, str(change.pk), user.pk)
    # Every supervisor who may approve is told; not the administrator, not an officer.
    assert notified(N.ACCOUNT_CHANGE_REQUESTED) == {supervisor.pk for supervisor in supervisors}
    notice = Notification.objects.filter(kind=N.ACCOUNT_CHANGE_REQUESTED).first()
    assert (notice.reference, notice.link) == (change.reference, f"/accounts/changes/{change.pk}/")
    assert officer.pk not in notified(N.ACCOUNT_CHANGE_REQUESTED)
    assert [message.to for message in mail.outbox if "set your password" in message.subject] == [[user.email]]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SYSTEM_ADMIN])
def test_a_supervisor_or_administrator_role_is_held_back_too(admin, police, role):
    user = new_officer(admin, police, roles=[role])
    assert user.role_names == [] and waiting(user, K.GRANT_ROLES).roles == [role]


def test_a_panel_member_role_is_given_at_once(admin, police):
    user = new_officer(admin, police, roles=[Role.PANEL_MEMBER], reason="")
    assert user.role_names == ["panel_member"] and not AccountChangeRequest.objects.exists()


def test_the_system_itself_gives_police_roles_at_once(police):
    user = services.create_user(
        by=None, email="first@police.example", full_name="First Admin", organisation=police, roles=[Role.SUPERVISOR]
    )
    assert user.role_names == ["supervisor"] and not AccountChangeRequest.objects.exists()


def test_a_change_that_needs_approval_needs_a_reason_and_nothing_is_made_without_one(admin, police):
    with pytest.raises(ValidationError) as error:
        new_officer(admin, police, reason="  ")
    assert error.value.message_dict == {"reason": ["Say why this is needed: a supervisor reads it before approving"]}
    assert not User.objects.filter(email="new.officer@police.example").exists()


def test_giving_a_police_role_to_an_existing_account_waits_and_the_rest_applies_at_once(admin, police, make_user):
    user = make_user(Role.PANEL_MEMBER, organisation=police)
    edit(user, by=admin, full_name="Renamed", roles=[Role.PANEL_MEMBER, Role.SUPERVISOR])
    user = User.objects.get(pk=user.pk)
    assert (user.full_name, user.role_names) == ("Renamed", ["panel_member"])
    assert waiting(user, K.GRANT_ROLES).roles == ["supervisor"]
    # Asking again for the same thing changes nothing; asking for something else is refused until it is cancelled.
    edit(user, by=admin, roles=[Role.PANEL_MEMBER, Role.SUPERVISOR])
    assert AccountChangeRequest.objects.count() == 1
    with pytest.raises(ValidationError, match="already waiting for approval"):
        edit(user, by=admin, roles=[Role.PANEL_MEMBER, Role.SUPERVISOR, Role.SYSTEM_ADMIN])


def test_removing_a_police_role_or_deactivating_needs_no_approval(admin, police, make_user):
    user = make_user(Role.SUPERVISOR, Role.PANEL_MEMBER, organisation=police)
    edit(user, by=admin, roles=[Role.PANEL_MEMBER], is_active=False, reason="")
    user = User.objects.get(pk=user.pk)
    assert user.role_names == ["panel_member"] and not user.is_active
    assert not AccountChangeRequest.objects.exists()


def test_a_new_email_address_for_a_police_account_waits_and_is_not_yet_used(admin, police, make_user):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police, email="robin@police.example")
    edit(officer, by=admin, email="Robin.Home@Mail.Example")
    assert User.objects.get(pk=officer.pk).email == "robin@police.example"
    assert waiting(officer, K.CHANGE_EMAIL).new_email == "robin.home@mail.example"
    assert not Notification.objects.filter(kind=N.EMAIL_CHANGED).exists()


def test_any_account_in_the_police_organisation_or_holding_a_police_role_is_a_police_account(
    admin, police, make_user, make_organisation
):
    no_role = make_user(Role.PANEL_MEMBER, organisation=police)
    services.update_user(no_role, by=None, **{**_same(no_role), "roles": []})
    assert permissions.is_police_account(User.objects.get(pk=no_role.pk))
    # An organisation re-marked as a partner does not make its supervisors' accounts ordinary ones.
    supervisor = make_user(Role.SUPERVISOR, organisation=make_organisation(Organisation.Kind.POLICE_PREVENT))
    services.update_organisation(supervisor.organisation, by=None, kind=Organisation.Kind.PARTNER)
    supervisor = User.objects.get(pk=supervisor.pk)
    assert permissions.is_police_account(supervisor)
    edit(supervisor, by=admin, email="elsewhere@mail.example", roles=[])
    assert waiting(supervisor, K.CHANGE_EMAIL)
    assert not permissions.is_police_account(make_user(Role.REFERRER))


def _same(user):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation,
        "roles": user.role_names,
        "is_active": user.is_active,
    }


def test_a_partners_new_email_address_applies_at_once_and_the_old_address_is_told(
    admin, make_user, django_capture_on_commit_callbacks
):
    partner = make_user(Role.REFERRER, email="dana@hill.example")
    with django_capture_on_commit_callbacks(execute=True):
        edit(partner, by=admin, email="dana.new@hill.example")
    assert User.objects.get(pk=partner.pk).email == "dana.new@hill.example"
    assert not AccountChangeRequest.objects.exists()
    assert "user.email_changed" in actions_about(partner)
    assert sorted(message.to[0] for message in mail.outbox) == ["dana.new@hill.example", "dana@hill.example"]


def test_resetting_two_factor_on_a_police_account_waits_for_approval(admin, police, make_user):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    with pytest.raises(ValidationError, match="Say why"):
        services.reset_mfa(officer, by=admin)
    change = services.reset_mfa(officer, by=admin, reason="Lost phone; called them on their desk line.")
    assert change == waiting(officer, K.RESET_MFA)
    assert TOTPDevice.objects.filter(user=officer).exists()
    assert "mfa.reset" not in actions_about(officer)


# Deciding


def test_a_supervisor_approves_and_the_role_is_given_audited_and_the_administrator_told(admin, police, supervisors):
    approver = supervisors[0]
    user = new_officer(admin, police)
    change = changes.approve(waiting(user, K.GRANT_ROLES), by=approver, note="Checked with the team lead.")

    assert User.objects.get(pk=user.pk).role_names == ["prevent_officer"]
    assert (change.status, change.decided_by, change.decision_note) == (
        S.APPROVED,
        approver,
        "Checked with the team lead.",
    )
    granted = AuditEvent.objects.get(action="user.roles_granted")
    assert (granted.actor, granted.target_id) == (approver, str(user.pk))
    assert granted.details["request_id"] == change.pk and granted.details["requested_by_id"] == admin.pk
    assert granted.details["roles_after"] == ["prevent_officer"]
    approved = AuditEvent.objects.get(action="account_change.approved")
    assert (approved.actor, approved.details["requested_by_id"]) == (approver, admin.pk)
    assert notified(N.ACCOUNT_CHANGE_APPROVED) == {admin.pk}


def test_approving_a_new_email_address_tells_the_old_address_and_never_the_new_one(
    admin, police, supervisors, make_user, django_capture_on_commit_callbacks
):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police, email="robin@police.example")
    edit(officer, by=admin, email="robin.elsewhere@mail.example")
    with django_capture_on_commit_callbacks(execute=True):
        changes.approve(waiting(officer, K.CHANGE_EMAIL), by=supervisors[0])

    assert User.objects.get(pk=officer.pk).email == "robin.elsewhere@mail.example"
    (old,) = [message for message in mail.outbox if message.to == ["robin@police.example"]]
    assert old.subject == "Prevent referrals: The e-mail address on your account was changed"
    text = old.message().as_string()
    assert "robin.elsewhere" not in text and "mail.example" not in text and officer.full_name not in text
    assert "no longer the one on your account" in old.body
    # The outbox keeps the old address no longer than it takes to send.
    assert not Email.objects.exclude(address="").exists()
    changed = AuditEvent.objects.get(action="user.email_changed")
    assert changed.actor == supervisors[0] and "robin" not in str(changed.details)


def test_approving_a_two_factor_reset_removes_the_devices_and_ends_the_sessions(admin, police, supervisors, make_user):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    their_client = sign_in_client(Client(), officer)
    services.reset_mfa(officer, by=admin, reason="Lost phone.")
    changes.approve(waiting(officer, K.RESET_MFA), by=supervisors[0])

    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert their_client.get(reverse("pages:home")).status_code == 302
    reset = AuditEvent.objects.get(action="mfa.reset", target_id=str(officer.pk))
    assert reset.actor == supervisors[0] and reset.details["requested_by_id"] == admin.pk
    assert N.MFA_RESET in set(Notification.objects.filter(recipient=officer).values_list("kind", flat=True))


def test_a_supervisor_refuses_with_a_reason_and_nothing_changes(admin, police, supervisors):
    user = new_officer(admin, police)
    change = waiting(user, K.GRANT_ROLES)
    with pytest.raises(ValidationError) as error:
        changes.refuse(change, by=supervisors[0], note="")
    assert error.value.message_dict == {"note": ["Say why you refuse the change"]}
    change = changes.refuse(change, by=supervisors[0], note="Not on the team's list of new starters.")

    assert (change.status, change.decision_note) == (S.REFUSED, "Not on the team's list of new starters.")
    assert User.objects.get(pk=user.pk).role_names == []
    assert AuditEvent.objects.filter(action="account_change.refused", actor=supervisors[0]).count() == 1
    assert notified(N.ACCOUNT_CHANGE_REFUSED) == {admin.pk}


def test_the_administrator_who_asked_cannot_approve_even_holding_the_supervisor_role(police, supervisors, make_user):
    both = make_user(Role.SYSTEM_ADMIN, Role.SUPERVISOR, organisation=police)
    user = new_officer(both, police)
    change = waiting(user, K.GRANT_ROLES)
    assert both.pk not in notified(N.ACCOUNT_CHANGE_REQUESTED)
    for decide in (lambda: changes.approve(change, by=both), lambda: changes.refuse(change, by=both, note="No")):
        with pytest.raises(ValidationError, match="You asked for this change"):
            decide()
    assert waiting(user, K.GRANT_ROLES) and User.objects.get(pk=user.pk).role_names == []
    changes.approve(change, by=supervisors[0])
    assert User.objects.get(pk=user.pk).role_names == ["prevent_officer"]


def test_nobody_decides_a_change_to_their_own_account(admin, police, supervisors):
    subject, other = supervisors
    edit(subject, by=admin, email="mine@mail.example")
    change = waiting(subject, K.CHANGE_EMAIL)
    assert subject.pk not in notified(N.ACCOUNT_CHANGE_REQUESTED)
    with pytest.raises(ValidationError, match="your own account"):
        changes.approve(change, by=subject)
    changes.approve(change, by=other)
    assert User.objects.get(pk=subject.pk).email == "mine@mail.example"


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.PREVENT_OFFICER, Role.REFERRER])
def test_only_supervisors_decide(admin, police, make_user, role):
    change = waiting(new_officer(admin, police), K.GRANT_ROLES)
    decider = make_user(role)
    with pytest.raises(PermissionDenied):
        changes.approve(change, by=decider)
    with pytest.raises(PermissionDenied):
        changes.refuse(change, by=decider, note="No")


def test_the_database_refuses_an_approval_by_the_one_who_asked_or_the_accounts_holder(admin, police, supervisors):
    user = new_officer(admin, police)
    change = waiting(user, K.GRANT_ROLES)
    for who in (admin, user):
        with pytest.raises(IntegrityError), transaction.atomic():
            AccountChangeRequest.objects.filter(pk=change.pk).update(
                status=S.APPROVED, decided_by=who, decided_at=change.requested_at
            )


def test_a_decided_request_cannot_be_decided_again_and_says_who_decided_it(admin, police, supervisors):
    first, second = supervisors
    change = waiting(new_officer(admin, police), K.GRANT_ROLES)
    changes.refuse(change, by=first, note="Not yet.")
    with pytest.raises(ValidationError, match=f"refused by {first.full_name}"):
        changes.approve(change, by=second)
    assert AccountChangeRequest.objects.get(pk=change.pk).status == S.REFUSED
    assert not AuditEvent.objects.filter(action="user.roles_granted").exists()


def test_an_administrator_cancels_a_request_and_it_can_no_longer_be_approved(admin, police, supervisors, make_user):
    change = waiting(new_officer(admin, police), K.GRANT_ROLES)
    with pytest.raises(PermissionDenied):
        changes.cancel(change, by=supervisors[0])
    another_admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    change = changes.cancel(change, by=another_admin)
    assert (change.status, change.decided_by) == (S.CANCELLED, another_admin)
    assert AuditEvent.objects.filter(action="account_change.cancelled", actor=another_admin).exists()
    with pytest.raises(ValidationError, match="cancelled by"):
        changes.approve(change, by=supervisors[0])


def test_an_approval_no_longer_possible_is_refused_with_a_message(admin, police, supervisors, make_user):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    edit(officer, by=admin, email="taken@police.example")
    make_user(Role.REFERRER, email="taken@police.example")
    with pytest.raises(ValidationError, match="Another account now uses this e-mail address"):
        changes.approve(waiting(officer, K.CHANGE_EMAIL), by=supervisors[0])
    assert waiting(officer, K.CHANGE_EMAIL).status == S.REQUESTED


# Never on one's own account


def test_an_administrator_changes_nothing_about_how_they_themselves_sign_in(admin, police, supervisors):
    with pytest.raises(ValidationError, match="your own e-mail address"):
        edit(admin, by=admin, email="me@mail.example")
    with pytest.raises(ValidationError, match="your own roles"):
        edit(admin, by=admin, roles=[Role.SYSTEM_ADMIN, Role.SUPERVISOR])
    with pytest.raises(ValidationError, match="your own two-factor"):
        services.reset_mfa(admin, by=admin, reason="Lost phone.")
    with pytest.raises(ValidationError, match="send yourself a sign-in link"):
        services.send_sign_in_link(admin, by=admin)
    with pytest.raises(ValidationError, match="your own account"):
        changes.open_request(admin, kind=K.RESET_MFA, by=admin, reason="Lost phone.")
    assert not AccountChangeRequest.objects.exists()
    assert User.objects.get(pk=admin.pk).email == admin.email


# Two approvals at once
