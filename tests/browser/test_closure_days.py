"""An administrator adds a local closure day in a real browser: told what is wrong, then it is listed."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from core.calendar import is_working_day
from core.models import ClosureDay
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, menu, sign_in

pytestmark = pytest.mark.browser


def type_date(page, day, month, year):
    group = page.get_by_role("group", name="Date")
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_an_administrator_adds_a_closure_day_and_a_bank_holiday_is_refused(page, make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    sign_in(page, admin)
    menu(page, "Organisations")
    page.get_by_role("link", name="Closure days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closure days")
    assert_accessible(page)

    type_date(page, "25", "12", "2026")
    page.get_by_label("Name").fill("Team training day")
    page.get_by_role("button", name="Add closure day").click()
    expect_errors(page, "25 December 2026 is already a bank holiday (Christmas Day)")
    expect(page.get_by_label("Name")).to_have_value("Team training day")

    type_date(page, "3", "3", "2027")
    page.get_by_role("button", name="Add closure day").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("3 March 2027 added as a closure day")
    expect(page.locator(".govuk-table")).to_contain_text("Wednesday 3 March 2027")
    assert_accessible(page)
    closure = ClosureDay.objects.get()
    assert closure.name == "Team training day" and not is_working_day(closure.day)

    page.get_by_role("button", name="Remove 3 March 2027").click()
    expect(page.get_by_text("No closure days have been added here.")).to_be_visible()
    assert not ClosureDay.objects.exists()
