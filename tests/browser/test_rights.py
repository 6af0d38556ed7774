"""Rectification and restriction in a real browser: a supervisor corrects a record, restricts the case, lifts it."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from cases import services
from rights.models import Rectification, Restriction
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, menu, sign_in
from tests.browser.test_referral_form import another_browser
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser

WHY_CORRECT = "The person showed their passport: the surname was misspelt."
WHY_RESTRICT = "The person contests the accuracy of the referral while it is checked."


def correct_the_surname(page, case):
    page.get_by_role("link", name="Correct a record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct a record")
    assert_accessible(page)
    page.get_by_role("button", name="Save the correction").click()
    expect_errors(page, "Select what is being corrected", "Enter the correct value", "Enter why the record is being")
    page.get_by_label("What is being corrected?").select_option(label="Date of birth")
    page.get_by_label("The correct value").fill("31 2 2009")
    page.get_by_label("Why is the record being corrected?").fill(WHY_CORRECT)
    page.get_by_role("button", name="Save the correction").click()
    expect_errors(page, "Enter the date of birth as day, month and year, like 27 3 2009")
    expect(page.get_by_label("The correct value")).to_have_value("31 2 2009")
    expect(page.get_by_label("Why is the record being corrected?")).to_have_value(WHY_CORRECT)

    page.get_by_label("What is being corrected?").select_option(label="Surname or family name")
    page.get_by_label("The correct value").fill("Featherstonehaugh")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Correction saved.")
    table = page.get_by_role("table", name="Corrections to the record")
    expect(table).to_contain_text("Surname or family name")
    expect(table).to_contain_text(WHY_CORRECT)
    expect(table).to_contain_text("Example")  # the value replaced: supervisors only
    assert_accessible(page)


def restrict(page):
    page.get_by_role("link", name="Restrict processing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restrict processing of this case")
    assert_accessible(page)
    page.get_by_role("button", name="Restrict this case").click()
    expect_errors(page, "Enter why processing is being restricted")
    page.get_by_label("Why is processing being restricted?").fill(WHY_RESTRICT)
    page.get_by_role("button", name="Restrict this case").click()
    banner = page.get_by_role("region", name="Restricted: kept but not used")
    expect(banner).to_contain_text(WHY_RESTRICT)
    expect(page.get_by_role("heading", name="Case notes")).to_be_visible()
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    expect(page.get_by_role("link", name="Correct a record")).to_have_count(0)
    assert_accessible(page)


def test_a_supervisor_corrects_restricts_and_lifts_and_the_officer_loses_the_case_meanwhile(
    page, browser, live_server, make_user
):
    supervisor, officer = make_user(Role.SUPERVISOR), make_user(Role.PREVENT_OFFICER)
    case = make_referral(make_user(Role.REFERRER)).case
    case = services.assign(case, to=officer, by=supervisor)

    sign_in(page, supervisor)
    menu(page, "Case queue")
    page.get_by_role("link", name=case.reference, exact=True).click()
    correct_the_surname(page, case)
    assert Rectification.objects.get().value == "Featherstonehaugh"
    restrict(page)
    assert Restriction.objects.get().lifted_at is None

    with another_browser(browser, live_server) as other:
        sign_in(other, officer)
        menu(other, "Case queue")
        expect(other.get_by_role("link", name=case.reference, exact=True)).to_have_count(0)
        other.goto(f"/cases/{case.pk}/")
        expect(other.get_by_role("heading", level=1)).to_have_text("Page not found")
        other.console_errors.clear()  # the browser logs the 404 it was meant to get

    menu(page, "Case queue")
    page.get_by_role("link", name="Restricted cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restricted cases")
    assert_accessible(page)
    page.get_by_role("link", name=case.reference, exact=True).click()
    page.get_by_role("link", name="Lift the restriction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lift the restriction")
    expect(page.get_by_role("region", name="Restricted: kept but not used")).to_contain_text(WHY_RESTRICT)
    assert_accessible(page)
    page.get_by_label("Why is the restriction being lifted?").fill("Checked with the school: the record is right.")
    page.get_by_role("button", name="Lift the restriction").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Restriction lifted.")
    expect(page.get_by_role("region", name="Restricted: kept but not used")).to_have_count(0)
    assert Restriction.objects.get().lifted_by == supervisor
