"""The timeout warning in a real browser, and a referrer timed out mid-concern getting their words back.

Short idle limits through settings (the live server reads them per request) stand in for fifteen minutes.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import KeptForm, Role
from referrals import services
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in_with_password

pytestmark = pytest.mark.browser

WORDS = "He told two classmates he would bring a knife to the match and hurt people there."
TITLE = "You’re about to be signed out"


def warning(page):
    return page.get_by_role("alertdialog", name=TITLE)


def short_sessions(settings, idle, warn):
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=idle)
    settings.SESSION_WARNING_SECONDS = warn


def test_the_warning_takes_focus_keeps_it_and_escape_keeps_the_session(page, make_user, settings):
    short_sessions(settings, idle=30, warn=26)
    referrer = make_user(Role.REFERRER)
    sign_in_with_password(page, referrer)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    privacy = page.get_by_role("link", name="Privacy")
    privacy.focus()

    dialog = warning(page)
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog).to_contain_text("For your security, we will sign you out in")
    stay = dialog.get_by_role("button", name="Stay signed in")
    sign_out = dialog.get_by_role("button", name="Sign out")
    expect(stay).to_be_focused()
    assert_accessible(page)
    # Focus stays in the warning, both ways round.
    page.keyboard.press("Tab")
    expect(sign_out).to_be_focused()
    page.keyboard.press("Tab")
    expect(stay).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(sign_out).to_be_focused()

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(privacy).to_be_focused()  # focus goes back where it was
    status = page.request.get(reverse("accounts:session_status")).json()
    assert status["seconds_left"] > 26  # the idle limit started again

    # It comes back before the new limit; "Sign out" signs out.
    expect(dialog).to_be_visible(timeout=15_000)
    sign_out.click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.locator("#timeout-dialog")).to_have_count(0)  # no warning on public pages
    assert_accessible(page)


def test_stay_signed_in_in_another_tab_closes_the_warning_here(page, make_user, settings):
    short_sessions(settings, idle=40, warn=20)
    referrer = make_user(Role.REFERRER)
    sign_in_with_password(page, referrer)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    other = page.context.new_page()
    other.goto(reverse("referrals:start"))
    expect(warning(page)).to_be_visible(timeout=25_000)
    expect(warning(other)).to_be_visible(timeout=5_000)
    warning(other).get_by_role("button", name="Stay signed in").click()
    expect(warning(other)).to_be_hidden()
    # The first tab asks the server again while its warning is open, finds more time and closes: no early sign-out.
    expect(warning(page)).to_be_hidden(timeout=20_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def concerns_page(referrer):
    draft = services.start_referral(by=referrer)
    return draft, reverse("referrals:section", args=[draft.pk, "concerns"])


def sign_in_again_and_get_the_words_back(page, referrer, settings, draft, url):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
    settings.SESSION_WARNING_SECONDS = 120
    sign_in_with_password(page, referrer)
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))  # back on the page, nothing more in the address
    expect(page.get_by_role("heading", level=1)).to_have_text("Your concerns")
    expect(page.get_by_text("What you typed is shown again")).to_be_visible()
    expect(page.get_by_label("Describe your concerns")).to_have_value(WORDS)
    assert not KeptForm.objects.exists()  # erased as it was given back
    assert WORDS not in page.url
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Their needs")
    draft.refresh_from_db()
    assert draft.answers["concerns"]["concerns"] == WORDS


def test_a_referrer_timed_out_mid_concern_gets_their_words_back_after_signing_in(page, make_user, settings):
    referrer = make_user(Role.REFERRER)
    draft, url = concerns_page(referrer)
    sign_in_with_password(page, referrer)
    page.goto(url)
    page.get_by_label("Describe your concerns").fill(WORDS)
    # They stop typing for longer than the idle limit, then press the button.
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=1)
    page.wait_for_timeout(1_500)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("What you had typed is kept for 30 minutes")).to_be_visible()
    assert WORDS not in page.url
    assert_accessible(page)
    sign_in_again_and_get_the_words_back(page, referrer, settings, draft, url)


def test_when_the_warning_runs_out_the_page_keeps_what_was_typed(page, make_user, settings):
    short_sessions(settings, idle=12, warn=10)
    referrer = make_user(Role.REFERRER)
    draft, url = concerns_page(referrer)
    sign_in_with_password(page, referrer)
    page.goto(url)
    page.get_by_label("Describe your concerns").fill(WORDS)
    expect(warning(page)).to_be_visible(timeout=12_000)
    expect(warning(page)).to_contain_text("what you typed on this page is kept for 30 minutes")
    # Nobody answers: at the end the page sends its form to be kept, and the server signs out.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in", timeout=20_000)
    expect(page.get_by_text("What you had typed is kept for 30 minutes")).to_be_visible()
    assert "concerns" not in draft.answers
    sign_in_again_and_get_the_words_back(page, referrer, settings, draft, url)
