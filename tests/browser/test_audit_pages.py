"""A supervisor finds who viewed a case, in a real browser; every audit page checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import AuditEvent
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import menu, open_case, sign_in
from tests.browser.test_referral_form import another_browser
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser


def events_table(page):
    return page.get_by_role("table", name=re.compile("^Events"))


def test_a_supervisor_finds_who_viewed_a_case(page, browser, live_server, make_user):
    partner = make_user(Role.REFERRER)
    officer = make_user(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    case = make_referral(partner, surname="Okonkwo", forenames="Tariq").case
    make_referral(partner, surname="Lindqvist", forenames="Maja")

    # An officer opens the case.
    with another_browser(browser, live_server) as officer_page:
        sign_in(officer_page, officer)
        open_case(officer_page, case)
        # Officers have no audit screens.
        expect(officer_page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit")).to_have_count(0)

    # The supervisor searches by case reference.
    sign_in(page, supervisor)
    menu(page, "Audit", "Search the audit trail")
    assert_accessible(page)
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_role("button", name="Search", exact=True).click()
    row = events_table(page).locator("tbody tr").filter(has_text="Case viewed").filter(has_text=officer.full_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Prevent officer")
    assert_accessible(page)

    # Bad dates: clear errors, what was typed kept, still accessible.
    page.get_by_role("group", name="Date from").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Date from").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Date from").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date from must be a real date")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    expect(page.get_by_role("group", name="Date from").get_by_label("Day")).to_have_value("31")
    assert_accessible(page)

    # By the person referred, another spelling: the URL never holds the name.
    menu(page, "Audit", "Search the audit trail")
    page.get_by_text("Search by the person referred").click()
    page.get_by_label("Name or alias").fill("Tarik Okonkwo")
    page.get_by_role("button", name="Search by person").click()
    expect(page.get_by_role("heading", name="Cases about this person")).to_be_visible()
    assert "Okonkwo" not in page.url and "Tarik" not in page.url
    row = events_table(page).locator("tbody tr").filter(has_text="Case viewed").filter(has_text=officer.full_name)
    expect(row).to_have_count(1)
    assert_accessible(page)
    assert not AuditEvent.objects.filter(action="case.viewed", actor=supervisor).exists()

    # The case's access history, from the list of the person's cases.
    page.get_by_role("link", name=f"{case.reference} access history").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.reference}")
    expect(events_table(page)).to_contain_text(officer.full_name)
    expect(page.get_by_text("sharing violent material")).to_have_count(0)
    assert_accessible(page)

    # The officer's activity.
    events_table(page).get_by_role("link", name=officer.full_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(officer.full_name)
    expect(events_table(page)).to_contain_text("Case viewed")
    assert_accessible(page)

    # From the case page too.
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Who has seen this case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.reference}")
    assert AuditEvent.objects.filter(action="audit.case_history_viewed", actor=supervisor, case_id=case.pk).count() == 2
