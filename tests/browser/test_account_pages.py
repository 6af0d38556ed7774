import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in_with_password
from tests.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.browser


def test_a_partner_manages_their_own_sign_in(page, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(Role.REFERRER)
    sign_in_with_password(page, user)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Set up two-factor sign-in").click()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code from your app").fill(totp_now(device))
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#backup-codes li")).to_have_count(10)

    page.goto("/accounts/security/backup-codes/")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Make new backup codes").click()
    expect(page.get_by_role("alert")).to_contain_text("Your password is not right")
    assert_accessible(page)

    page.goto("/accounts/security/password/")
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")
    assert_accessible(page)

    page.goto("/accounts/security/")
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_text("You have been signed out on every device.")).to_be_visible()


def test_an_administrator_manages_organisations_and_a_user(page, make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    other = make_user(Role.REFERRER)
    sign_in_with_password(page, admin)
    page.get_by_label("Security code").fill(totp_now(admin.totpdevice_set.get()))
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Organisations").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the organisation's name")
    assert_accessible(page)
    page.get_by_label("Name").fill("Eastside Mosque Community Trust")
    page.get_by_label("Partner agency").check()
    page.get_by_label("Community").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Eastside Mosque Community Trust")).to_be_visible()
    assert Organisation.objects.filter(name="Eastside Mosque Community Trust", sector="community").exists()

    page.goto(f"/accounts/users/{other.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Send a new sign-in link").click()
    expect(page.get_by_text("A new link to set a password has been sent.")).to_be_visible()


def test_a_new_user_chooses_a_password_from_their_link(page, make_user):
    user = make_user(Role.REFERRER)
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    path = f"/accounts/set-password/{uid}/{token}/"
    page.goto(path)
    expect(page).to_have_title(re.compile("^Choose your password"))
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("winter apple marble kite")
    page.get_by_label("New password confirmation").fill("winter apple marble kite")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()


def test_a_partner_is_refused_the_administrators_pages(page, make_user):
    user = make_user(Role.REFERRER)
    sign_in_with_password(page, user)
    response = page.goto("/accounts/users/")
    assert response.status == 403
    page.console_errors.clear()
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert_accessible(page)


def test_an_administrator_asks_for_a_supervisor_role_and_another_supervisor_approves_it(
    page, browser, live_server, make_user, make_organisation
):
    from accounts.models import AccountChangeRequest, User
    from tests.browser.test_case_journey import menu, sign_in
    from tests.browser.test_referral_form import another_browser

    police = make_organisation(Organisation.Kind.POLICE_PREVENT, name="Northshire Police Prevent Team")
    admin = make_user(Role.SYSTEM_ADMIN, organisation=police)
    approver = make_user(Role.SUPERVISOR, organisation=police)
    sign_in(page, admin)

    menu(page, "Users")
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("Full name").fill("Robin New")
    page.get_by_label("Work email address").fill("robin.new@police.example")
    page.get_by_label("Organisation").select_option(label=police.name)
    page.get_by_label("Supervisor", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why this is needed: a supervisor reads it before approving")
    expect(page.get_by_label("Full name")).to_have_value("Robin New")
    assert_accessible(page)
    page.get_by_label("Reason, if a supervisor must approve this").fill("New starter in the team (ticket IT-4821).")
    page.get_by_role("button", name="Save").click()
    change = AccountChangeRequest.objects.get()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Waiting for a supervisor's approval: Give the Supervisor role ({change.reference})"
    )
    expect(page.get_by_label("Supervisor", exact=True)).not_to_be_checked()
    expect(page.get_by_role("link", name=f"Give the Supervisor role ({change.reference})")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Give the Supervisor role ({change.reference})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Give the Supervisor role")
    expect(page.get_by_role("button", name="Save decision")).to_have_count(0)  # who asked never decides
    assert_accessible(page)

    with another_browser(browser, live_server) as theirs:
        sign_in(theirs, approver)
        menu(theirs, "Account approvals")
        row = theirs.locator("tbody tr").filter(has_text=change.reference)
        expect(row).to_contain_text("Robin New")
        expect(row).to_contain_text(admin.full_name)
        assert_accessible(theirs)
        row.get_by_role("link", name=change.reference).click()
        expect(theirs.get_by_role("heading", level=1)).to_have_text("Give the Supervisor role")
        expect(theirs.locator(".govuk-summary-list")).to_contain_text("robin.new@police.example")
        expect(theirs.locator(".govuk-summary-list")).to_contain_text("New starter in the team (ticket IT-4821).")
        assert_accessible(theirs)
        theirs.get_by_label("No, refuse it").check()
        theirs.get_by_role("button", name="Save decision").click()
        expect(theirs.get_by_role("alert")).to_contain_text("Say why you refuse the change")
        assert_accessible(theirs)
        theirs.get_by_label("Yes, make the change now").check()
        theirs.get_by_label("Note").fill("Confirmed with the team lead by phone.")
        theirs.get_by_role("button", name="Save decision").click()
        expect(theirs.locator(".govuk-notification-banner--success")).to_contain_text(
            "Give the Supervisor role for Robin New approved: the change is made."
        )
        expect(theirs.get_by_text("No account changes are waiting for approval.")).to_be_visible()
        assert_accessible(theirs)

    assert User.objects.get(email="robin.new@police.example").role_names == ["supervisor"]
    page.reload()
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"Approved by {approver.full_name}")
