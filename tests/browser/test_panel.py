"""A Channel panel meeting in a real browser: the team keeps the record, a member reads it, actions carry on."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from cases import support
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, sign_in
from tests.cases.support_factories import case_in_support

pytestmark = pytest.mark.browser

SUMMARY = "Withdrawn at college since the summer; the family asked for help."


def test_the_team_keeps_the_record_and_an_open_action_comes_back_next_time(page, make_user, browser, live_server):
    supervisor, member = make_user(Role.SUPERVISOR), make_user(Role.PANEL_MEMBER)
    case = case_in_support(make_user, stop_at="channel")
    today = timezone.localdate()
    november = support.create_meeting(
        by=supervisor, meets_on=today - timedelta(days=28), title="November panel", members=[member]
    )
    december = support.create_meeting(by=supervisor, meets_on=today, title="December panel", members=[member])
    support.list_case(november, case=case, by=supervisor)
    support.list_case(december, case=case, by=supervisor)

    sign_in(page, supervisor)
    page.goto(f"/cases/panel/{november.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("November panel")
    page.get_by_text("Record the chair and attendance").click()
    page.get_by_label("Chair's name").fill("Robin Ash")
    page.get_by_label("Chair's agency").fill("County council")
    page.get_by_role("button", name="Save the chair").click()
    expect(page.get_by_text("Robin Ash (County council)")).to_be_visible()

    page.get_by_text("Write the summary").click()
    page.get_by_label("Summary for the panel").fill(SUMMARY)
    page.get_by_role("button", name="Save the summary").click()
    expect(page.locator("p", has_text=SUMMARY)).to_be_visible()

    page.get_by_text("Add an action").click()
    page.get_by_label("Action agreed").fill("Children's services to visit the family.")
    page.get_by_role("button", name="Add the action").click()
    expect_errors(page, "Enter the agency", "Enter the date the action is due by")
    expect(page.get_by_label("Action agreed")).to_have_value("Children's services to visit the family.")
    page.get_by_label("Agency that owns it").fill("Children's services")
    due = today + timedelta(days=14)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action is added.")).to_be_visible()
    assert_accessible(page)

    context = browser.new_context(base_url=live_server.url)
    theirs = context.new_page()
    sign_in(theirs, member)
    theirs.goto(f"/cases/panel/{december.pk}/")
    carried = theirs.get_by_role("table")
    expect(theirs.get_by_role("heading", name="Actions carried forward")).to_be_visible()
    expect(carried).to_contain_text("Children's services to visit the family.")
    expect(theirs.get_by_text("Needs support.")).to_have_count(0)  # the police rationale never reaches the panel
    assert_accessible(theirs)
    theirs.get_by_role("button", name="Mark done").focus()
    theirs.keyboard.press("Enter")
    expect(theirs.get_by_text("The action is marked done.")).to_be_visible()
    expect(theirs.get_by_role("heading", name="Actions carried forward")).to_have_count(0)
    theirs.goto(f"/cases/panel/{november.pk}/")
    expect(theirs.locator("p", has_text=SUMMARY)).to_be_visible()
    context.close()


def test_a_decision_before_the_meeting_is_refused_by_the_field(page, make_user):
    supervisor, member = make_user(Role.SUPERVISOR), make_user(Role.PANEL_MEMBER)
    case = case_in_support(make_user, stop_at="channel")
    next_week = timezone.localdate() + timedelta(days=7)
    meeting = support.create_meeting(by=supervisor, meets_on=next_week, title="Next panel", members=[member])
    support.list_case(meeting, case=case, by=supervisor)
    sign_in(page, member)
    page.goto(f"/cases/panel/{meeting.pk}/")
    page.get_by_label("Adopted as a Channel case").check()
    page.get_by_role("button", name=f"Record decision on {case.reference}").click()
    message = f"The panel meets on {next_week:%-d %B %Y}: record its decision on or after that day."
    expect_errors(page, message)
    expect(page.locator(".govuk-error-message")).to_contain_text(message)
    expect(page.get_by_label("Adopted as a Channel case")).to_be_checked()  # the choice is kept
