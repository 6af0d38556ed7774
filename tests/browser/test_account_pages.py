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
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
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
