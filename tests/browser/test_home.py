"""Each role's home page shows its work; every count opens the list it counts (axe-core, keyboard)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from cases import services
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import sign_in
from tests.referrals.factories import make_draft, make_referral

pytestmark = pytest.mark.browser


def open_each(page, expected: dict[str, str]):
    """Follow each count's link (by keyboard) and check the page it opens, then come back."""
    for text, heading in expected.items():
        link = page.get_by_role("link", name=text)
        link.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        page.go_back()


def test_an_officer_and_a_partner_each_start_from_their_work(page, browser, live_server, make_user):
    partner = make_user(Role.REFERRER)
    officer = make_user(Role.PREVENT_OFFICER)
    make_referral(partner)
    services.assign(make_referral(partner, surname="Other").case, to=officer, by=make_user(Role.SUPERVISOR))
    make_draft(partner)

    sign_in(page, officer)
    expect(page.get_by_role("heading", name="Your cases")).to_be_visible()
    assert_accessible(page)
    open_each(page, {"1 new referral to triage": "Case queue", "1 assessment due": "Case queue"})
    page.get_by_role("link", name="1 new referral to triage").click()
    expect(page.get_by_label("Status")).to_have_value("new")
    expect(page.get_by_label("Officer")).to_have_value("none")

    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, partner)
    expect(other.get_by_role("heading", name="Your referrals")).to_be_visible()
    expect(other.get_by_role("heading", name="Your cases")).to_have_count(0)
    assert_accessible(other)
    open_each(other, {"1 draft referral to finish": "Your organisation's referrals"})
    other.context.close()
