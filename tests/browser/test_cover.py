"""Cover in a real browser: an officer sets up cover from the home page; the colleague opens a covered case at once."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import Cover
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, sign_in
from tests.browser.test_referral_form import another_browser
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_officer_sets_up_cover_and_the_colleague_opens_a_covered_case_without_break_glass(
    page, browser, live_server, make_user
):
    partner = make_user(Role.REFERRER)
    away, colleague = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    case = services.assign(make_referral(partner).case, to=away, by=away)
    today = timezone.localdate()

    sign_in(page, away)
    page.get_by_role("link", name="Cover while you are away").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cover while away")
    assert_accessible(page)
    page.get_by_role("link", name="Set up cover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up cover")
    assert_accessible(page)

    page.get_by_label("Colleague who will cover").select_option(label=colleague.full_name)
    fill_date(page, "Start date", today.replace(year=today.year + 1))
    fill_date(page, "End date", today)
    page.get_by_label("Note (optional)").fill("Annual leave")
    page.get_by_role("button", name="Set up cover").click()
    expect_errors(page, "The end date must be the same as or after the start date")
    expect(page.get_by_label("Note (optional)")).to_have_value("Annual leave")

    fill_date(page, "Start date", today)
    page.get_by_role("button", name="Set up cover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cover while away")
    expect(page.locator("tbody tr")).to_contain_text(colleague.full_name)
    assert_accessible(page)
    made = Cover.objects.get()

    with another_browser(browser, live_server) as other:
        sign_in(other, colleague)
        other.goto(f"/cases/{case.pk}/")
        expect(other.get_by_role("heading", level=1)).to_have_text(case.reference)
        expect(other.locator("main")).to_contain_text(f"covered by {colleague.full_name}")
        # Working it as its officer: next steps are offered, as they are to the officer who is away.
        expect(other.get_by_role("heading", name="Next steps")).to_be_visible()
        assert_accessible(other)

    assert not AuditEvent.objects.filter(action="case.break_glass").exists()
    viewed = AuditEvent.objects.filter(action="case.viewed", actor=colleague, case_id=case.pk).last()
    assert viewed.details["cover_id"] == made.pk
