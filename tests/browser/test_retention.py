"""Retention in a real browser: one supervisor keeps a record and asks to erase another; a second approves."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from cases.models import Case
from privacy.models import Tombstone
from retention.models import LegalHold, RetentionReview, RetentionRule
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, menu, sign_in
from tests.browser.test_referral_form import another_browser
from tests.retention.factories import queued_review

pytestmark = pytest.mark.browser

ERASE_WHY = "No further action three years ago; no later referral or link."
KEEP_WHY = "A linked referral is still being assessed."


def success(page, text):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def keep_one(page, review):
    page.get_by_role("link", name=f"{review.reference} review due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(review.reference)
    expect(page.locator(".govuk-summary-list")).to_contain_text("nfa-3-years")
    assert_accessible(page)
    page.get_by_label("Keep it and review it again later").check()
    page.get_by_label("Reason for your decision").fill(KEEP_WHY)
    page.get_by_role("button", name="Save decision").click()
    expect_errors(page, "Enter the next review date")
    expect(page.get_by_label("Reason for your decision")).to_have_value(KEEP_WHY)
    assert_accessible(page)
    when = timezone.localdate() + timedelta(days=365)
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_role("button", name="Save decision").click()
    success(page, f"{review.reference} kept. It will be reviewed again on {when:%-d %B %Y}.")


def ask_to_erase(page, review):
    page.get_by_role("link", name=f"{review.reference} review due").click()
    page.get_by_label("Erase it (another supervisor must approve)").check()
    page.get_by_role("button", name="Save decision").click()
    expect_errors(page, "Give a reason for your decision")
    page.get_by_label("Reason for your decision").fill(ERASE_WHY)
    page.get_by_role("button", name="Save decision").click()
    success(page, f"Erasure of {review.reference} requested. Another supervisor must approve it.")
    expect(page.get_by_text("No records are waiting for a retention decision.")).to_be_visible()
    expect(page.get_by_role("link", name="1 erasure waiting for approval")).to_be_visible()
    assert_accessible(page)


def approve_it(page, review, asker):
    menu(page, "Retention", heading="Retention reviews")
    page.get_by_role("link", name="Erasures to approve").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erasures to approve")
    row = page.locator("tbody tr").filter(has_text=review.reference)
    expect(row).to_contain_text(asker.full_name)
    assert_accessible(page)
    row.get_by_role("link", name=f"Decide on the erasure of {review.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Erasure of {review.reference}")
    expect(page.locator("table")).to_contain_text(ERASE_WHY)
    assert_accessible(page)
    page.get_by_label("No, return it for review").check()
    page.get_by_role("button", name="Save decision").click()
    expect_errors(page, "Explain why you do not approve the erasure")
    assert_accessible(page)
    page.get_by_label("Yes, erase the record now").check()
    page.get_by_role("button", name="Save decision").click()
    success(page, f"{review.reference} erased. Deletion certificate DC-")
    expect(page.get_by_text("No erasures are waiting for approval.")).to_be_visible()
    assert_accessible(page)


def test_a_supervisor_reviews_and_a_second_supervisor_approves_the_erasure(page, browser, live_server, make_user):
    keep, erase = queued_review(make_user), queued_review(make_user)
    asker, approver = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)

    sign_in(page, asker)
    menu(page, "Retention", heading="Retention reviews")
    expect(page.get_by_role("heading", name="Waiting for a decision (2)")).to_be_visible()
    assert_accessible(page)
    keep_one(page, keep)
    ask_to_erase(page, erase)
    # Their own request: they are told another supervisor decides, with no link to decide.
    page.get_by_role("link", name="1 erasure waiting for approval").click()
    expect(page.locator("tbody tr").filter(has_text=erase.reference)).to_contain_text("Your own request")

    with another_browser(browser, live_server) as second:
        sign_in(second, approver)
        approve_it(second, erase, asker)

    assert not Case.objects.filter(pk=erase.case_id).exists()
    tombstone = Tombstone.objects.get(record_id=erase.case_id)
    assert (tombstone.requested_by, tombstone.approved_by) == (asker, approver)
    assert RetentionReview.objects.get(pk=keep.pk).state == "kept"


def test_legal_holds_and_rules(page, make_user):
    review = queued_review(make_user)
    supervisor = make_user(Role.SUPERVISOR)
    sign_in(page, supervisor)
    menu(page, "Retention", heading="Retention reviews")
    # From the review, the hold form comes prefilled; the link names the review's id, never the reference.
    page.get_by_role("link", name=f"{review.reference} review due").click()
    page.get_by_role("link", name="Put this case under legal hold").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legal holds")
    assert page.url.endswith(f"/retention/holds/?review={review.pk}")
    expect(page.get_by_label("Case or referral reference")).to_have_value(review.reference)
    page.get_by_role("link", name="Legal holds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legal holds")
    assert_accessible(page)
    page.get_by_label("Case or referral reference").fill("PC-NOWHERE")
    page.get_by_label("Why must this record be kept?").fill("Civil claim: preserve everything.")
    page.get_by_role("button", name="Set legal hold").click()
    expect_errors(page, "No case or referral has that reference: check it and try again")
    expect(page.get_by_label("Why must this record be kept?")).to_have_value("Civil claim: preserve everything.")
    assert_accessible(page)
    page.get_by_label("Case or referral reference").fill(review.reference)
    page.get_by_role("button", name="Set legal hold").click()
    success(page, f"{review.reference} is under legal hold")
    assert LegalHold.objects.get().case_id == review.case_id

    page.get_by_role("link", name="Review queue").click()
    expect(page.locator("tbody tr").filter(has_text=review.reference)).to_contain_text("Legal hold")
    page.get_by_role("link", name=f"{review.reference} review due").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("under legal hold")
    expect(page.get_by_role("button", name="Save decision")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="See or lift the hold").click()
    page.get_by_role("button", name="Lift legal hold").click()
    expect_errors(page, "Explain why the hold can be lifted")
    assert_accessible(page)
    page.get_by_label("Why can the hold be lifted?").fill("Claim settled.")
    page.get_by_role("button", name="Lift legal hold").click()
    success(page, f"Legal hold on {review.reference} lifted.")

    page.get_by_role("link", name="Retention rules").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention rules")
    assert_accessible(page)
    page.get_by_role("link", name="Change the rule for no further action", exact=True).click()
    page.get_by_label("Period before review").fill("0")
    page.get_by_role("button", name="Save rule").click()
    expect_errors(page, "Enter the period as a whole number of 1 or more, like 6")
    assert_accessible(page)
    page.get_by_label("Period before review").fill("2")
    page.get_by_label("Period for people under 18 at referral (optional)").fill("4")
    page.get_by_role("button", name="Save rule").click()
    success(page, "Rule for no further action saved.")
    rule = RetentionRule.objects.get(key="nfa")
    assert (rule.period, rule.under_18_period, rule.updated_by) == (2, 4, supervisor)
