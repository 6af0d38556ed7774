"""The dashboards in a real browser: the period filter, the charts' text alternatives, axe-core clean."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import menu, sign_in
from tests.reports.conftest import world  # noqa: F401 (the hand-counted world, as a fixture)

pytestmark = pytest.mark.browser


def choose_period(page, start, end, area=None):
    for legend, (day, month, year) in (("Date from", start), ("Date to", end)):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    if area:
        page.get_by_label("Partner area").select_option(label=area)


def test_a_supervisor_filters_the_dashboards_by_period_and_area(page, world):  # noqa: F811
    sign_in(page, world["supervisor"])
    menu(page, "Dashboard", "Team dashboard")
    assert_accessible(page)

    choose_period(page, ("2", "3", "2026"), ("29", "3", "2026"))
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("Assessed within target: 33%")).to_be_visible()
    expect(page.get_by_role("img", name="Referrals received per week")).to_be_visible()
    page.get_by_text("Referrals per week as a table").click()
    rows = page.get_by_role("table", name="Referrals received per week").locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("2 Mar 2026")
    expect(rows.first).to_contain_text("2")
    assert_accessible(page)

    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Management view").click()
    choose_period(page, ("2", "3", "2026"), ("29", "3", "2026"), area="North")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("from partners in North")).to_be_visible()
    outcomes = page.get_by_role("table", name="Referrals, discussed at Channel, adopted")
    expect(outcomes.get_by_role("row", name="Referrals 3 0", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Referrals by sector of the referrer")).to_be_visible()
    assert_accessible(page)

    choose_period(page, ("2", "13", "2026"), ("29", "3", "2026"))
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("alert")).to_contain_text("Date from must be a real date")
    assert_accessible(page)

    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Statistics return").click()
    choose_period(page, ("2", "3", "2026"), ("29", "3", "2026"))
    page.get_by_role("button", name="Produce the return").click()
    expect(page.get_by_role("table", name="Sector of the referrer")).to_be_visible()
    expect(page.get_by_role("link", name="Download the return as CSV")).to_be_visible()
    assert_accessible(page)


def test_a_partner_sees_its_own_figures(page, world):  # noqa: F811
    sign_in(page, world["partner_a"])
    menu(page, "Your organisation's figures", "Your organisation's referrals")
    choose_period(page, ("2", "3", "2026"), ("29", "3", "2026"))
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("3 against 0")).to_be_visible()
    assert_accessible(page)


# The size each chart's text is drawn at on screen: its font size times the SVG's scale.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('svg.app-chart')].map(svg =>
    parseFloat(getComputedStyle(svg.querySelector('text')).fontSize) * svg.getScreenCTM().a)"""


def test_chart_text_is_at_least_body_size_at_100_percent_zoom(page, world):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, world["supervisor"])
    menu(page, "Dashboard", "Team dashboard")
    team = page.evaluate(CHART_TEXT_SIZES)
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Management view").click()
    management = page.evaluate(CHART_TEXT_SIZES)
    assert len(team) >= 2 and len(management) >= 2
    assert min(team + management) >= 16, (team, management)
