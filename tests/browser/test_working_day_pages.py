"""Pages of the working day not walked elsewhere: ending a provider's access, refused feedback, who saw a case."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from cases import break_glass, support
from cases.models import ProviderGrant
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, sign_in
from tests.cases.support_factories import case_in_support, plan_support

pytestmark = pytest.mark.browser


def test_ending_a_providers_access_asks_first_and_cancel_changes_nothing(page, make_user):
    case = plan_support(case_in_support(make_user))
    provider = make_user(Role.SUPPORT_PROVIDER)
    grant = support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    sign_in(page, case.assigned_to)
    page.goto(reverse("cases:detail", args=[case.pk]))
    page.get_by_role("link", name=f"End access for {provider.full_name}").click()
    heading = f"End {provider.full_name}'s access to case {case.reference}?"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    assert ProviderGrant.objects.get(pk=grant.pk).revoked_at is None  # asking changed nothing
    page.get_by_role("link", name=f"End access for {provider.full_name}").click()
    page.get_by_role("button", name="End access").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Access ended.")).to_be_visible()
    assert ProviderGrant.objects.get(pk=grant.pk).revoked_at is not None


def test_empty_feedback_is_refused_with_the_message_by_the_field(page, make_user):
    case = case_in_support(make_user)
    referral = case.referrals.get()
    sign_in(page, case.assigned_to)
    page.goto(reverse("cases:detail", args=[case.pk]))
    page.get_by_label("Feedback the referrer will see (no police-only information)").fill("   ")
    page.get_by_role("button", name=f"Share feedback for {referral.reference}").click()
    expect_errors(page, "Enter the feedback to share with the referrer")
    expect(page.locator(".govuk-error-message")).to_contain_text("Enter the feedback to share with the referrer")
    # The summary's link takes the focus to the box.
    page.get_by_role("link", name="Enter the feedback to share with the referrer").click()
    expect(page.get_by_label("Feedback the referrer will see (no police-only information)")).to_be_focused()


def test_a_supervisor_reads_who_saw_a_case_person_by_person(page, make_user, signed_in):
    case = case_in_support(make_user)
    reader = make_user(Role.PREVENT_OFFICER)
    break_glass.open_with_reason(case, by=reader, reason_code="safeguarding", reason="Urgent safeguarding call.")
    signed_in(user=reader).get(reverse("cases:detail", args=[case.pk]))
    sign_in(page, make_user(Role.SUPERVISOR))
    page.goto(reverse("audit:case_history", args=[case.pk]))
    summary = page.get_by_role("table", name="Who saw this case")
    expect(summary).to_be_visible()
    row = summary.get_by_role("row").filter(has_text=reader.full_name)
    expect(row).to_contain_text("Break-glass: Urgent safeguarding risk")
    expect(row).to_contain_text("Prevent officer")
    assert_accessible(page)
