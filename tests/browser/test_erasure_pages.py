"""A supervisor finds an erasure and downloads its deletion certificate, on accessible pages."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from privacy import erasure
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import sign_in
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser


def test_a_supervisor_downloads_a_deletion_certificate(page, make_user):
    case = make_referral(make_user(Role.REFERRER), surname="Featherstonehaugh").case
    officer, approver = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    tombstone = erasure.erase_case(case, rule="nfa-3-years", requested_by=officer, approved_by=approver)
    supervisor = make_user(Role.SUPERVISOR)

    sign_in(page, supervisor)
    page.goto("/privacy/erasures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erased records")
    row = page.get_by_role("row", name=tombstone.certificate_number)
    expect(row).to_contain_text(officer.full_name)
    expect(row).to_contain_text(approver.full_name)
    assert_accessible(page)

    row.get_by_role("link", name=tombstone.certificate_number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tombstone.certificate_number)
    expect(page.locator(".govuk-summary-list")).to_contain_text(str(case.pk))
    expect(page.locator("main")).not_to_contain_text("Featherstonehaugh")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (text file)").click()
    assert download.value.suggested_filename == f"deletion-certificate-{tombstone.certificate_number}.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert tombstone.certificate_number in text and "nfa-3-years" in text and "Featherstonehaugh" not in text
