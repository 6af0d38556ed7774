"""The case file in a real browser: the officer chooses who it is for, by keyboard alone, and gets the PDF."""

from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role
from cases.models import CaseFileDisclosure
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, open_case, sign_in
from tests.cases.case_file_factories import CHECK_NOTE, full_case

pytestmark = pytest.mark.browser

NOTE = "For the panel's chair, meeting on 1 December."


def tab_to(page, locator, presses=40):
    """Press Tab until the element has focus, as a keyboard user would (fail if it never does)."""
    for _ in range(presses):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} never took the focus by keyboard")


def test_an_officer_downloads_the_channel_panel_pack_by_keyboard(page, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    case = full_case(make_user, officer=officer)
    sign_in(page, officer)
    open_case(page, case)

    link = page.get_by_role("link", name="Download case file")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download the case file")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Case {case.reference}")
    assert_accessible(page)

    button = page.get_by_role("button", name="Download the case file (PDF)")
    tab_to(page, page.get_by_label("Who will receive it, and why?"))
    page.keyboard.type(NOTE)
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect_errors(page, "Select who the case file is for")
    expect(page.get_by_label("Who will receive it, and why?")).to_have_value(NOTE)
    assert not CaseFileDisclosure.objects.exists()

    tab_to(page, page.get_by_label("Channel panel pack"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Channel panel pack")).to_be_checked()
    tab_to(page, button)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"case-file-{case.reference}.pdf"
    with open(download.value.path(), "rb") as file:
        pdf = file.read()
    assert pdf.startswith(b"%PDF-")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "OFFICIAL-SENSITIVE" in text and f"Downloaded by {officer.full_name}" in text
    assert "Channel panel pack" in text and CHECK_NOTE not in text
    disclosure = CaseFileDisclosure.objects.get(case=case)
    assert (disclosure.purpose, disclosure.note) == ("channel_panel", NOTE)
