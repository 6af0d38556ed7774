"""Break-glass in a real browser: an officer opens a colleague's case with a reason; a supervisor reviews it."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import BreakGlass
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import CONCERNS, expect_errors, menu, sign_in
from tests.browser.test_referral_form import another_browser
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser

WHY = "Covering for my colleague while they are on leave; the school rang about this person."
NOT_OK = "The colleague was at work and could have been asked."


def give_a_reason(page, case):
    """From the queue, open a case outside one's caseload: the reason page first, showing only the reference."""
    menu(page, "Case queue")
    page.get_by_role("link", name=case.reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why do you need to open this case?")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Case {case.reference}")
    main = page.locator("main")
    expect(main).not_to_contain_text(CONCERNS)
    expect(main).not_to_contain_text("Example")  # the person's surname
    assert_accessible(page)

    page.get_by_label("Explain why you need to open this case").fill(WHY)
    page.get_by_role("button", name="Open the case").click()
    expect_errors(page, "Select why you need to open this case")
    expect(page.get_by_label("Explain why you need to open this case")).to_have_value(WHY)
    page.get_by_label("Covering for an absent colleague").check()
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    expect(page.get_by_role("region", name="Important")).to_contain_text("A supervisor will review your reason")
    # Reading, not acting: no next steps for someone else's case.
    expect(page.get_by_role("heading", name="Next steps")).to_have_count(0)
    assert_accessible(page)


def review_it(page, officer, case):
    menu(page, "Break-glass reviews")
    expect(page.get_by_role("heading", name="Awaiting review (1)")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=case.reference)
    expect(row).to_contain_text(officer.full_name)
    expect(row).to_contain_text("Covering for an absent colleague")
    expect(row).to_contain_text(WHY)
    assert_accessible(page)

    row.get_by_role("link", name=f"Review access to {case.reference} by {officer.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review access to {case.reference}")
    assert_accessible(page)
    page.get_by_label("Not appropriate").check()
    page.get_by_role("button", name="Save review").click()
    expect_errors(page, "Explain why the access was not appropriate")
    expect(page.get_by_label("Not appropriate")).to_be_checked()
    page.get_by_label("Note").fill(NOT_OK)
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Access to {case.reference} by {officer.full_name} marked not appropriate."
    )
    expect(page.get_by_text("Nothing is awaiting review.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Reviewed").click()
    row = page.locator("tbody tr").filter(has_text=case.reference)
    expect(row).to_contain_text("Not appropriate")
    expect(row).to_contain_text(NOT_OK)
    assert_accessible(page)


def test_an_officer_breaks_glass_and_a_supervisor_reviews_it(page, browser, live_server, make_user):
    partner = make_user(Role.REFERRER)
    owner, officer = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    case = services.assign(make_referral(partner).case, to=owner, by=owner)

    sign_in(page, officer)
    give_a_reason(page, case)
    access = BreakGlass.objects.get()
    assert access.user == officer and access.reason == WHY
    events = AuditEvent.objects.filter(actor=officer, case_id=case.pk).order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions[-2:] == ["case.break_glass", "case.viewed"]

    with another_browser(browser, live_server) as boss:
        sign_in(boss, supervisor)
        review_it(boss, officer, case)

    access.refresh_from_db()
    assert (access.verdict, access.reviewed_by, access.review_note) == ("inappropriate", supervisor, NOT_OK)
    assert AuditEvent.objects.filter(action="break_glass.reviewed", actor=supervisor, case_id=case.pk).count() == 1
