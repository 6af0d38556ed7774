"""The notification centre in a browser: unread count, list, open one, mark all read, preferences; axe-clean."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from notifications.models import Notification
from notifications.services import notify
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in_with_password

pytestmark = pytest.mark.browser


def test_a_partner_reads_their_notifications_and_chooses_emails(page, make_user):
    partner = make_user(Role.REFERRER)
    # Two notices about two pages: opening one page reads its notice only.
    for number, link in enumerate(["/referrals/", "/reports/organisation/"]):
        notify([partner], kind=Notification.Kind.REFERRAL_FEEDBACK, reference=f"PR-BROWSE{number}", link=link)
    sign_in_with_password(page, partner)

    header_link = page.get_by_role("link", name="Notifications 2 unread")
    expect(header_link).to_be_visible()
    header_link.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("PR-BROWSE1")
    assert_accessible(page)

    page.get_by_role("button", name="Open update on your referral PR-BROWSE0").click()
    expect(page.get_by_role("heading", name="Your organisation's referrals")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()

    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("All notifications marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Choose which notifications you get by e-mail").click()
    expect(page.get_by_role("heading", name="Notification e-mails")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Update on your referral").uncheck()
    page.get_by_label("One daily digest e-mail with a count of each kind").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Update on your referral")).not_to_be_checked()
    assert_accessible(page)

    page.goto("/notifications/preferences/")
    page.evaluate("document.querySelectorAll('input[name=frequency]').forEach(input => input.checked = false)")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose how often you want e-mails")
    assert_accessible(page)
