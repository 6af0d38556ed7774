"""The service navigation: a supervisor's fits one line on a laptop and folds behind "Menu" on a phone."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import sign_in

pytestmark = pytest.mark.browser


def item_tops(page) -> list[float]:
    return page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().top)"
    )


def test_a_supervisors_navigation_fits_one_line_at_1280_px_and_groups_the_reviews(page, make_user):
    page.set_viewport_size({"width": 1280, "height": 800})
    supervisor = make_user(Role.SUPERVISOR)
    sign_in(page, supervisor)
    tops = item_tops(page)
    assert len(tops) >= 7 and len(set(tops)) == 1, tops  # every item on one line
    account = page.get_by_role("navigation", name="Account")  # the user's own links, in the header
    expect(account.get_by_role("link", name="Your account")).to_be_visible()
    expect(account.get_by_role("button", name="Sign out")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Audit", exact=True)).to_have_count(0)
    navigation.get_by_role("link", name="Oversight", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oversight")
    expect(navigation.locator("[aria-current=page]")).to_have_text("Oversight")
    expect(navigation.locator(".govuk-service-navigation__item--active")).to_have_text("Oversight")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Break-glass reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Break-glass reviews")
    # A page of the group: its item is marked as the section the page is in, not as the page itself.
    expect(navigation.locator(".govuk-service-navigation__item--active")).to_have_text("Oversight")
    expect(navigation.locator("[aria-current=true]")).to_have_text("Oversight")


def test_on_a_phone_the_menu_opens_and_closes_by_keyboard(page, make_user):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, make_user(Role.SUPERVISOR))
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(page.get_by_role("link", name="Data protection")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Data protection")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Data protection")).to_be_hidden()
