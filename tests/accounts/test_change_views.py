"""The pages of the two-person rules: an administrator asks from the user pages, a supervisor decides on its own."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import AccountChangeRequest, Organisation, Role, User
from audit.models import AuditEvent

K, S = AccountChangeRequest.Kind, AccountChangeRequest.Status
LIST = reverse("accounts:change_requests")
WHY = "New starter (ticket IT-4821)."


@pytest.fixture
def police(make_organisation):
    return make_organisation(Organisation.Kind.POLICE_PREVENT, name="Northshire Police Prevent Team")


@pytest.fixture
def admin(signed_in, make_user, police):
    return signed_in(user=make_user(Role.SYSTEM_ADMIN, organisation=police))


@pytest.fixture
def supervisor(signed_in, make_user, police):
    return signed_in(user=make_user(Role.SUPERVISOR, organisation=police))


def form(police, **changes):
    return {
        "full_name": "Robin New",
        "email": "robin.new@police.example",
        "organisation": police.pk,
        "roles": [Role.SUPERVISOR],
        "reason": WHY,
        **changes,
    }


def asked(admin_client, police) -> AccountChangeRequest:
    admin_client.post(reverse("accounts:user_create"), form(police))
    return AccountChangeRequest.objects.get(kind=K.GRANT_ROLES)


def page_of(change):
    return reverse("accounts:change_request", args=[change.pk])


def test_adding_a_supervisor_without_a_reason_says_so_next_to_the_field_and_keeps_what_was_typed(admin, police):
    response = admin.post(reverse("accounts:user_create"), form(police, reason=""))
    assert response.status_code == 200
    body = response.content.decode()
    # In the summary, and next to the reason field itself.
    assert '<a href="#id_reason">Say why this is needed: a supervisor reads it before approving</a>' in body
    assert '<span id="id_reason_1_error" class="govuk-error-message">' in body
    assert 'value="Robin New"' in body
    assert not User.objects.filter(email="robin.new@police.example").exists()


def test_adding_a_supervisor_makes_the_account_without_the_role_and_says_what_waits(admin, police):
    response = admin.post(reverse("accounts:user_create"), form(police), follow=True)
    user = User.objects.get(email="robin.new@police.example")
    change = AccountChangeRequest.objects.get(subject=user)
    body = response.content.decode()
    assert f"Waiting for a supervisor&#x27;s approval: Give the Supervisor role ({change.reference})" in body
    assert user.role_names == []
    # The user's page lists what waits, and the roles the form offers are those the account holds.
    assert f'href="{page_of(change)}"' in body
    assert response.context["form"].initial["roles"] == []


def test_a_new_email_address_for_a_police_account_waits_and_the_page_says_so(admin, police, make_user):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    url = reverse("accounts:user_detail", args=[officer.pk])
    data = {
        "full_name": officer.full_name,
        "email": "robin.home@mail.example",
        "organisation": police.pk,
        "roles": [Role.PREVENT_OFFICER],
        "is_active": "on",
        "reason": "Their police mailbox is being moved.",
    }
    response = admin.post(url, data, follow=True)
    assert "Waiting for a supervisor&#x27;s approval: Change the e-mail address" in response.content.decode()
    assert User.objects.get(pk=officer.pk).email == officer.email
    assert "to robin.home@mail.example" in admin.get(url).content.decode()


def test_a_supervisor_approves_on_the_approval_page_and_the_administrator_is_told(admin, supervisor, police):
    change = asked(admin, police)
    listing = supervisor.get(LIST)
    assert change.reference in listing.content.decode()
    assert AuditEvent.objects.get(action="account_change.list_viewed", actor=supervisor.user).details["ids"] == [
        change.pk
    ]
    page = supervisor.get(page_of(change))
    body = page.content.decode()
    assert "robin.new@police.example" in body and WHY in body and "No password yet" in body
    assert AuditEvent.objects.filter(action="account_change.viewed", target_id=str(change.pk)).exists()

    refused = supervisor.post(page_of(change), {"decision": "refuse", "note": ""})
    assert "Say why you refuse the change" in refused.content.decode()
    response = supervisor.post(page_of(change), {"decision": "approve", "note": "Checked with the team lead."})
    assert response["Location"] == LIST
    assert User.objects.get(pk=change.subject_id).role_names == ["supervisor"]
    notice = admin.user.notifications.get(kind="account_change_approved")
    assert notice.link == page_of(change)
    # Once decided, the page shows the decision and no form.
    after = supervisor.get(page_of(change))
    assert after.context["form"] is None and "Approved by" in after.content.decode()


def test_a_second_decision_on_a_stale_page_is_refused_with_who_decided(admin, supervisor, police, signed_in, make_user):
    change = asked(admin, police)
    other = signed_in(user=make_user(Role.SUPERVISOR, organisation=police))
    other.post(page_of(change), {"decision": "refuse", "note": "Not on the list."})
    response = supervisor.post(page_of(change), {"decision": "approve"})
    assert response.status_code == 200
    assert f"This request was refused by {other.user.full_name}" in response.content.decode()
    assert User.objects.get(pk=change.subject_id).role_names == []


def test_an_empty_post_on_a_decided_request_shows_the_form_again_not_an_error_page(admin, supervisor, police):
    change = asked(admin, police)
    supervisor.post(page_of(change), {"decision": "refuse", "note": "Not on the list."})
    response = supervisor.post(page_of(change), {})
    assert response.status_code == 200 and response.context["form"].errors
    assert AccountChangeRequest.objects.get(pk=change.pk).status == AccountChangeRequest.Status.REFUSED


def test_the_administrator_who_asked_sees_the_request_but_cannot_decide_it(admin, police):
    change = asked(admin, police)
    page = admin.get(page_of(change))
    assert page.status_code == 200 and page.context["form"] is None
    assert "Cancel this request" in page.content.decode()
    assert admin.post(page_of(change), {"decision": "approve"}).status_code == 403
    assert AccountChangeRequest.objects.get(pk=change.pk).status == S.REQUESTED


def test_an_administrator_holding_the_supervisor_role_cannot_decide_their_own_request(signed_in, make_user, police):
    both = signed_in(user=make_user(Role.SYSTEM_ADMIN, Role.SUPERVISOR, organisation=police))
    change = asked(both, police)
    page = both.get(page_of(change))
    assert page.context["form"] is None and "You asked for this change" in page.content.decode()
    assert both.post(page_of(change), {"decision": "approve"}).status_code == 403


def test_the_holder_of_the_account_cannot_decide_a_change_to_it(admin, supervisor, police):
    admin.post(
        reverse("accounts:user_reset_mfa", args=[supervisor.user.pk]), {"reason": "Lost phone, confirmed by phone."}
    )
    change = AccountChangeRequest.objects.get(kind=K.RESET_MFA, subject=supervisor.user)
    page = supervisor.get(page_of(change))
    assert page.context["form"] is None and "your own account" in page.content.decode()
    assert supervisor.post(page_of(change), {"decision": "approve"}).status_code == 403


def test_an_administrator_cancels_a_request_and_a_supervisor_cannot(admin, supervisor, police):
    change = asked(admin, police)
    cancel = reverse("accounts:change_request_cancel", args=[change.pk])
    assert supervisor.post(cancel).status_code == 403
    response = admin.post(cancel)
    assert response["Location"] == reverse("accounts:user_detail", args=[change.subject_id])
    assert AccountChangeRequest.objects.get(pk=change.pk).status == S.CANCELLED
    again = admin.post(cancel, follow=True)
    assert "This request was cancelled by" in again.content.decode()


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.REFERRER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER])
def test_nobody_else_sees_the_approvals(admin, police, signed_in, role):
    change = asked(admin, police)
    client = signed_in(role)
    assert client.get(LIST).status_code == 403
    assert client.get(page_of(change)).status_code == 403
    assert client.post(page_of(change), {"decision": "approve"}).status_code == 403
    assert AccountChangeRequest.objects.get(pk=change.pk).status == S.REQUESTED


def test_an_unknown_request_is_not_found_and_nothing_is_recorded_as_viewed(supervisor):
    assert supervisor.get(reverse("accounts:change_request", args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(action="account_change.viewed").exists()


def test_resetting_two_factor_on_a_police_account_asks_why_and_waits(admin, police, make_user):
    officer = make_user(Role.PREVENT_OFFICER, organisation=police)
    url = reverse("accounts:user_reset_mfa", args=[officer.pk])
    page = admin.get(url)
    assert "a supervisor must approve the reset" in page.content.decode()
    empty = admin.post(url, {"reason": ""})
    assert "Say why two-factor sign-in needs resetting" in empty.content.decode()
    done = admin.post(url, {"reason": "Lost phone."}, follow=True)
    change = AccountChangeRequest.objects.get(kind=K.RESET_MFA)
    assert f"A supervisor must approve the reset of two-factor sign-in ({change.reference})" in done.content.decode()
    assert officer.totpdevice_set.exists()


def test_an_administrator_is_told_they_cannot_reset_or_link_their_own_account(admin):
    me = admin.user
    reset = admin.post(reverse("accounts:user_reset_mfa", args=[me.pk]), {"reason": "Lost phone."})
    assert "You cannot reset your own two-factor sign-in" in reset.content.decode()
    link = admin.post(reverse("accounts:user_send_link", args=[me.pk]), follow=True)
    assert "You cannot send yourself a sign-in link" in link.content.decode()
    assert not AccountChangeRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="user.set_password_link_sent").exists()


def test_the_approvals_list_runs_the_same_queries_whatever_the_number_of_requests(
    admin, supervisor, police, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin.post(reverse("accounts:user_create"), form(police))
    with CaptureQueriesContext(connection) as few:
        supervisor.get(LIST)
    for number in range(5):
        services.create_user(
            by=admin.user,
            email=f"officer{number}@police.example",
            full_name=f"Officer {number}",
            organisation=police,
            roles=[Role.PREVENT_OFFICER],
            reason=WHY,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = supervisor.get(LIST)
    assert len(response.context["rows"]) == 6
