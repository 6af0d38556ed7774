"""An administrator adds a closure day in a real browser, is told plainly when the day cannot be one."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from core.models import ClosureDay
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, menu, sign_in

pytestmark = pytest.mark.browser


def fill_date(page, day, month, year):
    page.get_by_label("Day", exact=True).fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)


def test_an_administrator_adds_and_removes_a_closure_day(page, make_user):
    sign_in(page, make_user(Role.SYSTEM_ADMIN))
    menu(page, "Closure days")
    assert_accessible(page)
    fill_date(page, "26", "12", "2026")
    page.get_by_label("What is the day?").fill("Boxing day closure")
    page.get_by_role("button", name="Add the closure day").click()
    expect_errors(page, "26 December 2026 is a Saturday: weekends are never working days")
    expect(page.get_by_label("What is the day?")).to_have_value("Boxing day closure")
    fill_date(page, "29", "12", "2026")
    page.get_by_role("button", name="Add the closure day").click()
    expect(page.get_by_text("29 December 2026 is now a closure day.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Boxing day closure")
    page.get_by_role("link", name="Remove 29 December 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make 29 December 2026 a working day again?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the closure day").click()
    expect(page.get_by_text("29 December 2026 is a working day again.")).to_be_visible()
    assert not ClosureDay.objects.exists()
