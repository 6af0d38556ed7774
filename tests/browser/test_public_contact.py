"""A member of the public tells the Prevent team about a worry, with JavaScript on (the ALTCHA check solved in the
browser) and off (a plain form); an officer reads it, replies and records it as a referral. Every page by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from front_door.models import PublicContact
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import sign_in

pytestmark = pytest.mark.browser

CONCERN = "My nephew has started saying that violence is the only answer."


def fill_concern(page, relationship="Family member"):
    page.get_by_label("What are you worried about?").fill(CONCERN)
    page.get_by_label(relationship).check()


def test_a_member_of_the_public_sends_a_worry_anonymously_with_javascript_on(page, make_user):
    page.goto("/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Worried about someone?")
    expect(page.get_by_text("call 999", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tell us about your worry").click()
    expect(page).to_have_title(re.compile("^Tell us about your worry"))
    assert_accessible(page)

    # Sent with nothing filled in: the error summary, and nothing lost when then corrected.
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Tell us what you are worried about")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_accessible(page)
    page.get_by_label("Where they live, the town or area (optional)").fill("Northtown")
    fill_concern(page)
    # The widget solves its proof-of-work in a worker before the form is sent.
    expect(page.locator("altcha-widget input[name=altcha]")).to_have_value(re.compile(".+"), timeout=30_000)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your message has been sent")).to_be_visible()
    assert_accessible(page)
    contact = PublicContact.objects.get()
    assert contact.challenge_passed and contact.anonymous and contact.person_area == "Northtown"
    assert contact.reference in page.content() and contact.reference not in page.url


def test_with_javascript_off_the_plain_form_still_works_with_contact_details(browser, live_server, make_user):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/public/get-in-touch/")
        fill_concern(page, relationship="Neighbour")
        page.get_by_label("Your email address (optional)").fill("pat@example.org")
        page.get_by_label("Your email address (optional)").press("Enter")
        # (No axe here: it is a script, and scripts are off. The same pages are checked with them on, above.)
        expect(page.get_by_role("heading", name="Your message has been sent")).to_be_visible()
    finally:
        context.close()
    contact = PublicContact.objects.get()
    assert not contact.challenge_passed and contact.sender_email == "pat@example.org"


def test_an_officer_replies_and_records_a_referral_on_the_publics_behalf(page, make_user):
    from front_door import services

    contact = services.receive_contact(
        challenge_passed=True, relationship="family", concern=CONCERN, sender_phone="07700 900123"
    )
    officer = make_user(Role.PREVENT_OFFICER)
    sign_in(page, officer)
    page.get_by_role("link", name=re.compile("contact from the public waiting")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts from the public")
    assert_accessible(page)
    page.get_by_role("link", name=contact.reference).click()
    expect(page.get_by_text(CONCERN)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("By phone").check()
    page.get_by_label("What you told them, or your note").fill("Called back and gave advice.")
    page.get_by_role("button", name="Save reply").click()
    expect(page.get_by_text("Reply recorded.")).to_be_visible()
    page.get_by_role("button", name="Record as a referral").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    contact.refresh_from_db()
    assert contact.status == PublicContact.Status.REFERRED
    assert contact.referral.organisation.kind == Organisation.Kind.PUBLIC
