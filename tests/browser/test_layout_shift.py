"""On a phone-sized screen the signed-in pages do not jump when the navigation folds behind "Menu"."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in_with_password

pytestmark = pytest.mark.browser

CUMULATIVE_LAYOUT_SHIFT = """
() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})
"""


def test_the_navigation_folds_without_moving_the_page_on_a_phone(page, make_user):
    partner = make_user(Role.REFERRER)
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in_with_password(page, partner)
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    shifts = []
    for path in ["/", "/referrals/", "/notifications/"]:
        page.goto(path)
        shifts.append(page.evaluate(CUMULATIVE_LAYOUT_SHIFT))
    assert max(shifts) < 0.01, shifts  # "good" is under 0.1; folded from the first frame, it is none
    # The menu still opens and closes, by mouse and by keyboard.
    menu = page.get_by_role("button", name="Menu")
    expect(page.get_by_role("link", name="Referrals", exact=True)).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Referrals", exact=True)).to_be_visible()
    assert_accessible(page)
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Referrals", exact=True)).to_be_hidden()
