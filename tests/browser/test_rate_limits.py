"""A user past a rate limit sees a plain, accessible page with what they typed still in the form."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from referrals import advice
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import sign_in

pytestmark = pytest.mark.browser


def test_an_advice_reply_past_the_limit_says_when_to_try_again_and_keeps_the_reply(page, make_user, settings):
    settings.RATE_LIMIT_ADVICE_MESSAGES = "1/h"
    officer = make_user(Role.PREVENT_OFFICER)
    item = advice.ask_advice(by=make_user(Role.REFERRER), question="Worried about a pupil.")
    sign_in(page, officer)
    page.goto(f"/referrals/advice/{item.pk}/")
    page.get_by_label("Your reply").fill("Talk to your safeguarding lead first.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Reply sent.")

    page.get_by_label("Your reply").fill("And call us if it happens again.")
    page.get_by_role("button", name="Send reply").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("You have done this too many times for now")
    expect(summary).to_contain_text("Your message was not sent.")
    expect(summary).to_contain_text("Try again after")
    expect(page.get_by_label("Your reply")).to_have_value("And call us if it happens again.")
    expect(page).to_have_title(f"Advice {item.reference} (error) – Prevent referrals")
    assert_accessible(page)
    page.console_errors.remove("Failed to load resource: the server responded with a status of 429 (Too Many Requests)")
