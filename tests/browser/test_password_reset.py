"""Resetting a forgotten password in the browser, with the keyboard alone, every page checked by axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.browser

NEW_PASSWORD = "seven quiet harbour lanterns"
LINK = re.compile(r"https?://[^/\s]+(/accounts/reset-password/[^/\s]+/[^/\s]+/)")


def tab_to(page, text: str, most: int = 40) -> None:
    """Press Tab until the element with this text has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(e => e && (e.textContent.trim() || e.value || ''))(document.activeElement)") == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_an_officer_resets_a_forgotten_password_with_the_keyboard(page, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    page.goto("/accounts/sign-in/")
    tab_to(page, "Forgotten your password?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    expect(page).to_have_title(re.compile("^Reset your password"))
    assert_accessible(page)

    # Sent empty: the error summary takes the focus and its link leads to the field.
    tab_to(page, "Send the link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_accessible(page)
    tab_to(page, "Enter your email address")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(officer.email)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("The link works once, for 1 hour.")).to_be_visible()
    assert_accessible(page)
    (message,) = mail.outbox
    path = LINK.search(message.body).group(1)

    page.goto(path)
    expect(page).not_to_have_url(re.compile(re.escape(path)))  # the token left the address bar
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "I do not have my phone")
    page.keyboard.press("Enter")
    expect(page.get_by_text("If you have none left, you cannot reset your password yourself")).to_be_visible()
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_label("Security code").focus()
    page.keyboard.type(totp_now(officer.totpdevice_set.get()))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).focus()
    page.keyboard.type("short")
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("too short")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    tab_to(page, "Save password")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your password has been reset")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD) and not officer.check_password(PASSWORD)

    # The same link again: a clear page, not an error.
    response = page.goto(path)
    assert response.status == 404
    page.console_errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "Ask for a new link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()


def test_an_officer_without_a_device_is_sent_to_their_administrator(page, make_user):
    officer = make_user(Role.PREVENT_OFFICER, with_device=False)
    page.goto("/accounts/forgotten-password/")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(LINK.search(mail.outbox[0].body).group(1))
    expect(page.get_by_role("heading", name="Ask your system administrator")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_have_count(0)
    assert_accessible(page)
