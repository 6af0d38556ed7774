import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from referrals import services
from referrals.models import Referral
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in_with_password
from tests.conftest import totp_now

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@contextmanager
def another_browser(browser, live_server):
    """A second person's browser, failing the test on console errors like the `page` fixture."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = page.console_errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


def save_and_continue(page, next_heading):
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(next_heading)
    assert_accessible(page)


def expect_answer(page, question, answer):
    """The summary list row for this question shows this answer."""
    row = page.locator(".govuk-summary-list__row").filter(has=page.locator("dt").get_by_text(question, exact=True))
    expect(row.locator("dd").first).to_have_text(answer)


def fill_in_the_person(page):
    """Fill "The person you are worried about", first with mistakes that are then put right."""
    page.get_by_label("Surname or family name").fill("Okafor")
    page.get_by_label("I know roughly how old they are").check()
    page.get_by_label("Approximate age in years").fill("ten")
    page.get_by_role("group", name="Gender").get_by_label("Male", exact=True).check()
    page.get_by_role("group", name="Do they speak English?").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter their first names")
    expect(summary).to_contain_text("Enter their approximate age as a number, like 15")
    expect(page).to_have_title(re.compile(r"^The person you are worried about \(error\)"))
    expect(page.get_by_label("Surname or family name")).to_have_value("Okafor")
    expect(page.get_by_label("Approximate age in years")).to_have_value("ten")
    assert_accessible(page)
    # The error summary links to the field it is about.
    summary.get_by_role("link", name="Enter their first names").click()
    expect(page.get_by_label("First names")).to_be_focused()

    page.get_by_label("First names").fill("Daniel James")
    summary.get_by_role("link", name="Enter their approximate age as a number, like 15").click()
    expect(page.get_by_label("Approximate age in years")).to_be_focused()
    page.get_by_label("Approximate age in years").fill("15")
    page.get_by_label("Nationality (optional)").fill("British")


def fill_in_the_form(page, pdf):
    page.goto("/referrals/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a Prevent referral")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Before you start")
    assert_accessible(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Name of your safeguarding or Prevent lead (optional)").fill("Priya Shah")
    save_and_continue(page, "About you")

    page.get_by_label("Your full name").fill("Sam Teacher")
    page.get_by_label("Your job title or role").fill("Head of year 10")
    page.get_by_label("Your organisation").fill("Brook Secondary School")
    page.get_by_label("Work email address").fill("sam.teacher@brook.example")
    page.get_by_label("Work phone number").fill("01632 960001")
    page.get_by_label("What is your relationship to the person?").fill("Their head of year")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The person you are worried about")
    assert_accessible(page)
    fill_in_the_person(page)
    save_and_continue(page, "Their contact details")

    page.get_by_label("Home address (optional)").fill("1 Example Street\nTown")
    page.get_by_label("Postcode (optional)").fill("ab1 2cd")
    page.get_by_label("Phone number (optional)", exact=True).fill("07700 900123")
    page.get_by_label("School, college or occupation (optional)").fill("Brook Secondary School")
    save_and_continue(page, "Household members")

    expect(page.get_by_text("None added yet.")).to_be_visible()
    page.get_by_role("button", name="Add this person").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the household member's name")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Grace Okafor")
    page.get_by_label("Date of birth or age (optional)").fill("45")
    page.get_by_label("Relationship to the person referred").fill("Mother")
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_text("Added.")).to_be_visible()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Grace Okafor")
    expect(page.get_by_role("heading", name="Add another")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Other agencies involved")
    assert_accessible(page)
    page.get_by_label("Agency or service").fill("Children's social care")
    page.get_by_label("Contact name (optional)").fill("Alex Worker")
    page.get_by_role("button", name="Add this agency").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Children's social care")
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who knows about this referral")
    assert_accessible(page)
    page.get_by_role("group", name="Does the person know about this referral?").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Does their family or carer know").get_by_label("Not sure").check()
    save_and_continue(page, "Your concerns")

    page.get_by_label("Describe your concerns").fill("He has shared violent extremist videos with classmates.")
    page.get_by_label("How did the concern come to your notice? (optional)").fill("Two pupils told me.")
    save_and_continue(page, "Their needs")

    page.get_by_label("Mental health needs").check()
    save_and_continue(page, "Type of concern")

    page.get_by_label("I'm not sure").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Documents and screenshots")
    assert_accessible(page)
    page.get_by_label("Upload files").set_input_files(pdf)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("1 file added.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("statement.pdf")
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()


def expect_the_answers(page):
    expect_answer(page, "Have you discussed this concern with your safeguarding or Prevent lead?", "Yes")
    expect_answer(page, "Your full name", "Sam Teacher")
    expect_answer(page, "Surname or family name", "Okafor")
    expect_answer(page, "First names", "Daniel James")
    expect_answer(page, "What do you know about their date of birth?", "I know roughly how old they are")
    expect(page.locator("dt").get_by_text("Date of birth", exact=True)).to_have_count(0)  # only what was answered
    expect_answer(page, "Approximate age in years", "15")
    expect_answer(page, "Gender", "Male")
    expect_answer(page, "Postcode (optional)", "AB1 2CD")
    expect_answer(page, "1. Full name", "Grace Okafor")
    expect_answer(page, "1. Agency or service", "Children's social care")
    expect_answer(page, "Does their family or carer know about this referral?", "Not sure")
    expect_answer(page, "Describe your concerns", "He has shared violent extremist videos with classmates.")
    expect_answer(page, "Do they have any of these needs? (optional)", "Mental health needs")
    expect_answer(page, "What type of concern do you think this is?", "I'm not sure")


def test_a_referrer_sends_a_whole_referral_and_the_prevent_team_reads_it(
    page, browser, live_server, make_user, tmp_path
):
    referrer = make_user(Role.REFERRER)
    officer = make_user(Role.PREVENT_OFFICER)
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(PDF)

    sign_in_with_password(page, referrer)
    fill_in_the_form(page, pdf)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your referral")
    expect_the_answers(page)
    expect(page.get_by_text("statement.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    reference = page.locator("#reference").inner_text().strip()
    assert reference.startswith("PR")
    assert_accessible(page)
    referral = Referral.objects.get(reference=reference)
    assert referral.status == Referral.Status.RECEIVED
    assert referral.author == referrer
    assert [file.original_name for file in referral.attachments.all()] == ["statement.pdf"]

    with another_browser(browser, live_server) as team:
        sign_in_with_password(team, officer)
        team.get_by_label("Security code").fill(totp_now(officer.totpdevice_set.get()))
        team.get_by_role("button", name="Continue").click()
        team.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals received").click()
        expect(team.get_by_role("heading", level=1)).to_have_text("Referrals received")
        assert_accessible(team)
        row = team.get_by_role("row").filter(has=team.get_by_role("link", name=reference))
        expect(row).to_contain_text("Not sure")
        row.get_by_role("link", name=reference).click()

        expect(team.get_by_role("heading", level=1)).to_have_text(reference)
        expect_the_answers(team)
        assert_accessible(team)
        with team.expect_download() as download_info:
            team.get_by_role("link", name="statement.pdf").click()
        download = download_info.value
        assert download.suggested_filename == "statement.pdf"
        assert download.path().read_bytes() == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused(page, make_user, tmp_path):
    referrer = make_user(Role.REFERRER)
    draft = services.start_referral(by=referrer)
    disguised = tmp_path / "photo.png"
    disguised.write_bytes(b"MZ\x90\x00" + b"This program cannot be run in DOS mode.\n" * 20)

    sign_in_with_password(page, referrer)
    page.goto(f"/referrals/{draft.pk}/attachments/")
    assert_accessible(page)
    page.get_by_label("Upload files").set_input_files(disguised)
    page.get_by_role("button", name="Upload", exact=True).click()

    message = "photo.png is not a file type we accept. Upload a PDF, image, Office document or plain text file."
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Documents and screenshots \(error\)"))
    assert not draft.attachments.exists()
    assert_accessible(page)
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("photo.png")).click()
    expect(page.get_by_label("Upload files")).to_be_focused()


def test_the_date_of_birth_question_is_accessible(page, make_user):
    referrer = make_user(Role.REFERRER)
    draft = services.start_referral(by=referrer)
    sign_in_with_password(page, referrer)
    page.goto(f"/referrals/{draft.pk}/the-person/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The person you are worried about")
    assert_accessible(page)


def test_an_answer_in_a_hidden_box_does_not_stop_the_page_saving(page, make_user):
    referrer = make_user(Role.REFERRER)
    draft = services.start_referral(by=referrer)
    sign_in_with_password(page, referrer)
    page.goto(f"/referrals/{draft.pk}/the-person/")
    page.get_by_label("Surname or family name").fill("Okafor")
    page.get_by_label("First names").fill("Daniel")
    page.get_by_label("I know roughly how old they are").check()
    page.get_by_label("Approximate age in years").fill("ten")
    page.get_by_label("Not known").check()
    page.get_by_label("Not sure").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their approximate age as a number")

    # They give the exact date instead; the age box, with "ten" still in it, is hidden.
    page.get_by_label("I know their date of birth").check()
    expect(page.get_by_label("Approximate age in years")).to_be_hidden()
    date_of_birth = page.get_by_role("group", name="Date of birth", exact=True)
    date_of_birth.get_by_label("Day", exact=True).fill("27")
    date_of_birth.get_by_label("Month", exact=True).fill("3")
    date_of_birth.get_by_label("Year", exact=True).fill("2009")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0, timeout=2000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Their contact details")
