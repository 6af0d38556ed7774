import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.browser


def sign_in_with_password(page, user):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_sign_in_page_is_accessible_with_and_without_errors(page, db):
    page.goto("/accounts/sign-in/")
    expect(page).to_have_title(re.compile("^Sign in"))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_accessible(page)
    # The error summary links to the field it is about.
    page.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_an_officer_signs_in_with_a_code_from_their_app(page, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    sign_in_with_password(page, officer)
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Security code").fill(totp_now(officer.totpdevice_set.get()))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {officer.full_name}")
    expect(page.get_by_text("Prevent officer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_a_new_supervisor_sets_up_their_app_at_first_sign_in(page, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    supervisor = make_user(Role.SUPERVISOR, with_device=False)
    sign_in_with_password(page, supervisor)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 100")  # it really renders
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text()
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    assert secret.strip() and device.bin_key
    page.get_by_label("Code from your app").fill(totp_now(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("continue")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_an_administrator_adds_a_user_through_accessible_pages(page, make_user, make_organisation):
    from accounts.models import Organisation, User

    admin = make_user(Role.SYSTEM_ADMIN)
    school = make_organisation(Organisation.Kind.PARTNER, name="Brook Primary School")
    sign_in_with_password(page, admin)
    page.get_by_label("Security code").fill(totp_now(admin.totpdevice_set.get()))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Users").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("Full name").fill("Lee Lead")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a work email address")
    expect(page.get_by_label("Full name")).to_have_value("Lee Lead")
    assert_accessible(page)
    page.get_by_label("Work email address").fill("lee@brook.example")
    page.get_by_label("Organisation").select_option(label=school.name)
    page.get_by_label("Referrer").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Account created")).to_be_visible()
    assert_accessible(page)
    assert User.objects.get(email="lee@brook.example").role_names == ["referrer"]


@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/", "/no-such-page/"])
def test_public_pages_are_accessible(page, db, path):
    response = page.goto(path)
    if path == "/no-such-page/":
        assert response.status == 404
        page.console_errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    assert_accessible(page)
