"""The queue in a real browser: a supervisor reassigns two ticked cases with a reason; saved filters reopen."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import Case
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, menu, sign_in
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser

WHY = "Covering annual leave this fortnight."


def test_a_supervisor_reassigns_two_cases_with_one_reason(page, make_user):
    partner, supervisor = make_user(Role.REFERRER), make_user(Role.SUPERVISOR)
    away, cover = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    first, second, kept = (services.assign(make_referral(partner).case, to=away, by=supervisor) for _ in range(3))

    sign_in(page, supervisor)
    menu(page, "Case queue")
    assert_accessible(page)
    # By keyboard: focus the first box and tick it with the space bar.
    page.get_by_label(f"Select {first.reference}").focus()
    page.keyboard.press("Space")
    page.get_by_label(f"Select {second.reference}").check()
    page.get_by_label("Reassign to").select_option(label=cover.full_name)
    page.get_by_role("button", name="Reassign selected cases").click()

    expect_errors(page, "Enter why you are reassigning these cases")
    expect(page.get_by_label(f"{first.reference} ({away.full_name})")).to_be_checked()
    expect(page.get_by_label(f"{second.reference} ({away.full_name})")).to_be_checked()
    expect(page.get_by_label("Reassign to")).to_have_value(str(cover.pk))
    page.get_by_label("Why are you reassigning these cases?").fill(WHY)
    page.get_by_label("Why are you reassigning these cases?").press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reassign 2 cases to {cover.full_name}?")
    expect(page.locator("main")).to_contain_text(WHY)
    assert_accessible(page)
    page.get_by_role("button", name="Yes, reassign").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Case queue")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"2 cases reassigned to {cover.full_name}."
    )
    for case in (first, second):
        expect(page.locator("tbody tr").filter(has_text=case.reference)).to_contain_text(cover.full_name)
        event = AuditEvent.objects.get(action="case.reassigned", target_id=str(case.pk), actor=supervisor)
        assert event.reason == WHY and event.details["to_user_id"] == cover.pk
    assert Case.objects.get(pk=kept.pk).assigned_to == away
    assert_accessible(page)


def test_an_officer_saves_the_queue_filters_and_reopens_them(page, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    make_referral(make_user(Role.REFERRER))

    sign_in(page, officer)
    menu(page, "Case queue")
    page.get_by_label("Status").select_option(label="All cases")
    page.get_by_label("Only overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("Save these filters").click()
    page.get_by_role("button", name="Save filters").click()
    expect_errors(page, "Enter a name for these filters")
    page.get_by_label("Name these filters").fill("Everything overdue")
    page.get_by_role("button", name="Save filters").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Filters saved as 'Everything overdue'."
    )

    menu(page, "Case queue")
    expect(page.get_by_label("Status")).to_have_value("")
    assert_accessible(page)
    page.get_by_role("link", name="Everything overdue").click()
    expect(page.get_by_label("Status")).to_have_value("all")
    expect(page.get_by_label("Only overdue")).to_be_checked()
    assert AuditEvent.objects.filter(action="queue_filter.saved", actor=officer).count() == 1

    page.get_by_role("button", name="Delete Everything overdue").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("deleted")
    expect(page.get_by_role("link", name="Everything overdue")).to_have_count(0)
    assert_accessible(page)
