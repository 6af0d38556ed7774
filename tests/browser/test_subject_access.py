"""Subject access in a real browser: record a request, confirm the records, generate, withhold, release."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from subject_access.models import SubjectAccessRequest
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, menu, sign_in
from tests.subject_access.factories import CHECK_NOTE, FORENAMES, SURNAME, person_everywhere

pytestmark = pytest.mark.browser


def test_a_supervisor_answers_a_subject_access_request(page, live_server, make_user):
    records = person_everywhere(make_user)
    supervisor = records["supervisor"]
    sign_in(page, supervisor)
    menu(page, "Subject access", "Subject access requests")
    expect(page.get_by_text("No subject access requests yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record a new request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a subject access request")
    page.get_by_label("Name or alias").fill(f"{FORENAMES} {SURNAME}")
    page.get_by_role("button", name="Find their records").click()
    expect_errors(page, "Enter the date the request was received")
    expect(page.get_by_label("Name or alias")).to_have_value(f"{FORENAMES} {SURNAME}")
    assert_accessible(page)
    today = timezone.localdate()
    received = page.get_by_role("group", name="When was the request received?")
    received.get_by_label("Day", exact=True).fill(str(today.day))
    received.get_by_label("Month", exact=True).fill(str(today.month))
    received.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Find their records").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm which records are this person's")
    assert SURNAME not in page.url
    expect(page.locator("main")).not_to_contain_text(records["stranger"].reference)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm these records").click()
    expect_errors(page, "Select the referrals about this person")
    page.get_by_label(records["first"].reference).check()
    page.get_by_label(records["second"].reference).check()
    page.get_by_role("button", name="Confirm these records").click()

    sar = SubjectAccessRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(sar.reference)
    assert_accessible(page)
    page.get_by_role("button", name="Generate the export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Generating the export")
    expect(page.get_by_text("Export ready")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Check the export and withhold anything exempt").click()
    expect(page.locator("main")).to_contain_text(CHECK_NOTE)
    assert_accessible(page)
    page.get_by_role("link", name="Withhold Check: Counter-terrorism deconfliction (Pursue)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withhold: Check")
    # The police-only check is offered as an investigation exemption.
    expect(
        page.get_by_label("Avoid obstructing an official or legal inquiry, investigation or procedure")
    ).to_be_checked()
    page.get_by_label("The whole item").check()
    page.get_by_role("button", name="Withhold").click()
    expect_errors(page, "Explain why the exemption applies")
    assert_accessible(page)
    page.get_by_label("Why the exemption applies").fill("Disclosure would reveal a live operation.")
    page.get_by_role("button", name="Withhold").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("withheld")
    expect(page.get_by_text("Generate it again before release")).to_be_visible()
    expect(page.get_by_role("link", name="Release to the person")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Generate the export again").click()
    page.get_by_role("link", name="Check the export and withhold anything exempt").click()
    page.get_by_role("link", name="Release to the person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Release the export to the person")
    assert_accessible(page)
    page.get_by_role("button", name="Release").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{sar.reference} released.")
    expect(page.locator("main .govuk-summary-list .govuk-tag").first).to_have_text("Released")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export (ZIP)").click()
    assert download.value.suggested_filename == f"{sar.reference}.zip"
    menu(page, "Subject access", "Subject access requests")
    expect(page.locator("tbody tr").filter(has_text=sar.reference)).to_contain_text("Released")
    assert_accessible(page)
