"""An officer adds a document to a case in a real browser and downloads it again."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import CaseDocument
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, open_case, sign_in
from tests.referrals.factories import PDF, make_referral

pytestmark = pytest.mark.browser

TITLE = "Letter from the school"


def test_an_officer_uploads_a_document_to_a_case_and_downloads_it(page, make_user, tmp_path):
    officer = make_user(Role.PREVENT_OFFICER)
    case = services.assign(make_referral(make_user(Role.REFERRER)).case, to=officer, by=officer)
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF)
    sign_in(page, officer)
    open_case(page, case)
    expect(page.get_by_text("No documents added.")).to_be_visible()

    page.get_by_role("link", name="Add a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a document")
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Upload document").click()
    expect_errors(page, "Select a file to upload")
    expect(page.get_by_label("Title")).to_have_value(TITLE)

    page.get_by_label("Upload a file").set_input_files(letter)
    page.get_by_label("Description (optional)").fill("Sent by the head teacher.")
    page.get_by_role("button", name="Upload document").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Document added.")
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=f"{TITLE} (download)").click()
    assert download.value.suggested_filename == "letter.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read() == PDF
    document = CaseDocument.objects.get(case=case)
    assert AuditEvent.objects.filter(action="case.document_downloaded", target_id=str(document.pk)).exists()
