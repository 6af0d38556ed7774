"""The police case workflow in a real browser: every person's pages, each checked with axe-core."""

import re
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from cases import services
from cases.models import Case
from tests.browser.conftest import assert_accessible
from tests.browser.test_referral_form import another_browser
from tests.browser.test_sign_in import sign_in_with_password
from tests.conftest import totp_now
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.browser

CONCERNS = "Has been sharing violent material."  # the factory's concerns text
PLAN = "Weekly mentoring with a youth worker"


def sign_in(page, user):
    """Sign in with the password and, for police roles, a code from the authenticator app."""
    sign_in_with_password(page, user)
    device = user.totpdevice_set.first()
    if device is not None:
        page.get_by_label("Security code").fill(totp_now(device))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.full_name}")


# Pages reached through a group of the navigation when the user has more than one of its pages (pages/navigation.py).
GROUPED = {
    "Audit": "Oversight",
    "Access alerts": "Oversight",
    "Break-glass reviews": "Oversight",
    "Account approvals": "Oversight",
    "Retention": "Data protection",
    "Retention rules": "Data protection",
    "Erased records": "Data protection",
    "Subject access": "Data protection",
}


def menu(page, name, heading=None):
    """Follow the navigation to a page, through its group's page when the navigation groups it."""
    navigation = page.get_by_role("navigation", name="Menu")
    link = navigation.get_by_role("link", name=name, exact=True)
    if name in GROUPED and link.count() == 0:
        navigation.get_by_role("link", name=GROUPED[name], exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(GROUPED[name])
        link = page.get_by_role("main").get_by_role("link", name=name, exact=True)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or name)


def open_case(page, case):
    """Open the case from the queue, as the team do."""
    menu(page, "Case queue")
    page.get_by_role("link", name=case.reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)


def expect_status(page, status):
    row = page.locator(".govuk-summary-list__row").filter(has=page.locator("dt").get_by_text("Status", exact=True))
    expect(row.locator("dd")).to_have_text(status)


def expect_done(page, message, status=None):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)
    if status is not None:
        expect_status(page, status)


def form_page(page, heading):
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def expect_errors(page, *messages):
    summary = page.locator(".govuk-error-summary")
    for message in messages:
        expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_accessible(page)


def rate(page, question, rating):
    page.get_by_role("group", name=question).get_by_label(rating, exact=True).check()


# The officer's part.


def take_triage_and_assess(page, case):
    open_case(page, case)
    expect_status(page, "New, awaiting triage")
    expect(page.get_by_role("heading", level=2, name="Alex Example")).to_be_visible()  # who it is about
    expect(page.locator(".govuk-summary-card").first).to_contain_text("In 2010")
    expect(page.locator("main")).to_contain_text("Triage: take or assign the case, due")
    expect(page.get_by_text("Unassigned")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Take this case").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Assigned to")
    page.get_by_role("button", name="Start information gathering").click()
    expect_done(page, "Done.", "Information gathering")
    assert_accessible(page)

    page.get_by_role("link", name="Record a check").click()
    form_page(page, "Record a check")
    page.get_by_role("button", name="Record check").click()
    expect_errors(page, "Select what you checked", "Select what the check found")
    page.get_by_label("Counter-terrorism deconfliction (Pursue)").check()
    page.get_by_label("No trace").check()
    page.get_by_label("Note (police only, optional)").fill("Nothing known to CTP.")
    page.get_by_role("button", name="Record check").click()
    expect_done(page, "Check recorded.")
    expect(page.get_by_role("heading", name="Counter-terrorism deconfliction (Pursue): No trace")).to_be_visible()

    page.get_by_role("button", name="Start the assessment").click()
    expect_done(page, "Done.", "Assessment")
    page.get_by_role("link", name="Record the assessment").click()
    form_page(page, "Record the assessment")
    page.get_by_role("button", name="Save assessment").click()
    expect_errors(page, "Select a rating for engagement with a group, cause or ideology")
    page.get_by_role("group", name="Type of concern, as you assess it").get_by_label("Extreme right-wing").check()
    rate(page, "Engagement with a group, cause or ideology", "Medium")
    rate(page, "Intent to cause harm", "Low")
    rate(page, "Capability to cause harm", "None seen")
    page.get_by_label("Evidence for engagement with a group, cause or ideology").fill("Shares extremist videos.")
    page.get_by_label("Overall assessment and rationale").fill("Vulnerable and susceptible; needs support.")
    page.get_by_role("button", name="Save assessment").click()
    expect_done(page, "Assessment saved.")
    expect(page.get_by_text("Vulnerable and susceptible; needs support.")).to_be_visible()
    expect(page.get_by_text("Extreme right-wing")).to_be_visible()

    page.get_by_role("link", name="Record the decision").click()
    form_page(page, "Record the decision")
    page.get_by_role("button", name="Record decision").click()
    expect_errors(page, "Select the outcome", "Enter the rationale for the decision")
    page.get_by_label("Referred to the Channel panel").check()
    page.get_by_label("Rationale").fill("Multi-agency support through Channel is proportionate.")
    page.get_by_role("button", name="Record decision").click()
    expect_done(page, "Decision recorded.", "Decision awaiting sign-off")
    # The officer who decided cannot sign it off.
    expect(page.get_by_role("link", name="Sign off the decision")).to_have_count(0)
    assert_accessible(page)


def record_consent_and_plan_and_share(page, case, provider):
    page.reload()
    expect_status(page, "Support")
    assert_accessible(page)

    page.get_by_role("link", name="Record consent").click()
    form_page(page, "Record consent")
    # Born in 2010: under 18 is known, so it is not asked.
    expect(page.get_by_role("group", name="Is the person under 18?")).to_have_count(0)
    expect(page.get_by_text("They are under 18 (from their date of birth)")).to_be_visible()
    page.get_by_role("group", name="Whose consent").get_by_label("A parent").check()
    page.get_by_role("group", name="Consent", exact=True).get_by_label("Given", exact=True).check()
    page.get_by_role("button", name="Record consent").click()
    expect_done(page, "Consent recorded.")

    page.get_by_role("link", name="Add support plan").click()
    form_page(page, "Support plan")
    page.get_by_label("What support").fill(PLAN)
    page.get_by_label("Provided by whom").fill("Bridgeway Youth Trust")
    page.get_by_label("How and when").fill("Tuesdays after school")
    page.get_by_label("Who seeks consent").fill("The Prevent officer")
    page.get_by_label("How consent is sought").fill("Home visit with a parent")
    page.get_by_role("button", name="Save support plan").click()
    expect_done(page, "Support plan saved.")
    expect(page.get_by_text(f"{PLAN} (Bridgeway Youth Trust)")).to_be_visible()

    page.get_by_role("link", name="Give a support provider access").click()
    form_page(page, "Give a support provider access")
    page.get_by_label("Support provider").select_option(label=provider.full_name)
    page.get_by_label("Support plan", exact=True).check()
    page.get_by_role("button", name="Give access").click()
    expect_done(page, "Access given.")
    expect(page.get_by_text(f"{provider.full_name} ({provider.organisation}):")).to_be_visible()
    expect(page.get_by_role("link", name=f"End access for {provider.full_name}")).to_be_visible()
    assert_accessible(page)


def propose_closure(page):
    page.reload()
    page.get_by_role("button", name="Propose closure").click()
    expect_done(page, "Done.", "Closure awaiting sign-off")
    # The officer who proposed closure cannot sign it off.
    expect(page.get_by_role("link", name="Sign off closure")).to_have_count(0)
    assert_accessible(page)


def record_the_six_month_review(page):
    page.reload()
    expect_status(page, "Closed")
    expect(page.get_by_role("heading", name="Reviews after closure")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record the review at 6 months").click()
    form_page(page, "6-month review")
    page.get_by_role("button", name="Record review").click()
    expect_errors(page, "Select the outcome of the review")
    page.get_by_label("No further concerns").check()
    page.get_by_role("button", name="Record review").click()
    expect_errors(page, "Give a reason for reviewing early")  # it is due in six months
    page.get_by_label("Note").fill("The school shared new information: reviewed early.")
    page.get_by_role("button", name="Record review").click()
    expect_done(page, "Review recorded.", "Closed")
    reviews = page.get_by_role("heading", name="Reviews after closure").locator("xpath=following-sibling::ul[1]")
    expect(reviews.locator("li").first).to_contain_text(re.compile(r"^6-month review due .*: No further concerns$"))
    expect(page.get_by_role("link", name="Record the review at 12 months")).to_be_visible()
    assert_accessible(page)


# The supervisor's part.


def sign_off(page, heading, status):
    page.reload()
    page.get_by_role("link", name=heading).click()
    form_page(page, heading)
    page.get_by_role("button", name="Save").click()
    expect_errors(page, "Select whether you sign off")
    page.get_by_label("Sign off:").check()
    page.get_by_role("button", name="Save").click()
    expect_done(page, "Signed off.", status)
    assert_accessible(page)


def list_for_the_panel(page, case, member):
    menu(page, "Channel panel", "Channel panel meetings")
    assert_accessible(page)
    page.get_by_role("link", name="Add a meeting").click()
    form_page(page, "Add a panel meeting")
    page.get_by_role("button", name="Create meeting").click()
    expect_errors(page, "Enter a title", "Enter the date of the meeting", "Select at least one panel member")
    page.get_by_label("Title").fill("Norfolk Channel panel")
    meets_on = page.get_by_role("group", name="Date of the meeting")
    today = timezone.localdate()  # the panel decides at the meeting: not before its date
    for part, typed in (("Day", str(today.day)), ("Month", str(today.month)), ("Year", str(today.year))):
        meets_on.get_by_label(part, exact=True).fill(typed)
    page.get_by_label(member.full_name).check()
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Norfolk Channel panel")
    expect(page.get_by_text("Nothing on the agenda yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Case referred to Channel").select_option(label=case.reference)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: To discuss")).to_be_visible()
    page.get_by_text("Write the summary").click()
    page.get_by_label("Summary for the panel").fill(PANEL_SUMMARY)
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("The summary is saved.")).to_be_visible()
    assert_accessible(page)


PANEL_SUMMARY = "Struggling at school since the summer; the family has asked for help."

# The panel member's and the provider's parts.


def adopt_at_the_panel(page, case):
    menu(page, "Channel panel", "Channel panel meetings")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Norfolk Channel panel")).click()
    expect(page.locator("p", has_text=PANEL_SUMMARY)).to_be_visible()
    # The officer's rationale is police-only: the panel reads the summary written for it.
    expect(page.get_by_text("Multi-agency support through Channel is proportionate.")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(CONCERNS)  # the referral itself is not theirs to read
    expect(page.get_by_role("button", name="Add to the agenda")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Adopted as a Channel case").check()
    page.get_by_role("button", name=f"Record decision on {case.reference}").click()
    expect(page.get_by_text("The panel's decision is recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: Adopted as a Channel case")).to_be_visible()
    assert_accessible(page)


def support_as_a_provider(page, case):
    menu(page, "Cases shared with you")
    assert_accessible(page)
    page.get_by_role("link", name=f"Case {case.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.reference}")
    expect(page.get_by_text("You can see: Support plan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Support plan")).to_be_visible()
    expect(page.get_by_text(PLAN)).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text(CONCERNS)
    expect(main).not_to_contain_text("The concerns referred")
    expect(main).not_to_contain_text("NR1 1AA")  # contact details were not shared either
    assert_accessible(page)
    page.get_by_role("button", name="Record progress").click()
    expect_errors(page, "Enter the progress to record")
    page.get_by_label("Progress").fill("Attended the first two mentoring sessions.")
    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_text("Progress recorded.")).to_be_visible()
    expect(page.get_by_text("Attended the first two mentoring sessions.")).to_be_visible()
    assert_accessible(page)
    # Handing back asks first; Cancel changes nothing; the keyboard answers the question.
    page.get_by_role("button", name="Hand the case back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hand case {case.reference} back to the Prevent team?")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.reference}")
    page.get_by_role("button", name="Hand the case back").click()
    page.get_by_role("button", name="Hand the case back").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have handed the case back to the Prevent team.")).to_be_visible()
    # The police case page is not theirs to open.
    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 403
    page.console_errors.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")


def test_a_referral_goes_from_triage_to_closure_and_review(page, browser, live_server, make_user):
    partner = make_user(Role.REFERRER)
    officer = make_user(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    member = make_user(Role.PANEL_MEMBER)
    provider = make_user(Role.SUPPORT_PROVIDER)
    case = make_referral(partner).case

    sign_in(page, officer)
    menu(page, "Case queue")
    assert_accessible(page)
    take_triage_and_assess(page, case)

    # Each person signs in once: a TOTP code cannot be used twice.
    with ExitStack() as people:
        boss = people.enter_context(another_browser(browser, live_server))
        sign_in(boss, supervisor)
        open_case(boss, case)
        expect(boss.get_by_role("link", name="Sign off the decision")).to_be_visible()
        sign_off(boss, "Sign off the decision", "Referred to Channel")
        list_for_the_panel(boss, case, member)

        panel = people.enter_context(another_browser(browser, live_server))
        sign_in(panel, member)
        adopt_at_the_panel(panel, case)

        record_consent_and_plan_and_share(page, case, provider)

        helper = people.enter_context(another_browser(browser, live_server))
        sign_in(helper, provider)
        support_as_a_provider(helper, case)

        propose_closure(page)
        open_case(boss, case)
        sign_off(boss, "Sign off closure", "Closed")

    record_the_six_month_review(page)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.reviews.get(months=6).outcome == "no_concerns"
    assert case.progress_notes.get().written_by == provider


def test_the_queue_filters_and_is_accessible(page, make_user):
    partner = make_user(Role.REFERRER)
    officer = make_user(Role.PREVENT_OFFICER)
    people = [("Okonkwo", "Tariq"), ("Lindqvist", "Maja"), ("Fairweather", "Bryony"), ("Castellano", "Iker")]
    a_month_ago = datetime.now(tz=UTC) - timedelta(days=30)
    with time_machine.travel(a_month_ago, tick=True):
        old_mine, old_other = (make_referral(partner, surname=s, forenames=f).case for s, f in people[:2])
        services.assign(old_mine, to=officer, by=officer)
    new_mine, new_other = (make_referral(partner, surname=s, forenames=f).case for s, f in people[2:])
    services.assign(new_mine, to=officer, by=officer)

    def shown():
        # The case's link (a supervisor's or owner's row starts with its tick box for bulk reassignment).
        return [link.inner_text() for link in page.locator("tbody a").filter(has_text=re.compile(r"^PC-")).all()]

    sign_in(page, officer)
    menu(page, "Case queue")
    expect(page.locator("tbody tr")).to_have_count(4)
    # Due soonest first: the month-old cases lead.
    assert set(shown()[:2]) == {old_mine.reference, old_other.reference}
    assert set(shown()[2:]) == {new_mine.reference, new_other.reference}
    assert_accessible(page)

    page.get_by_label("Only overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert set(shown()) == {old_mine.reference, old_other.reference}
    expect(page.locator("tbody").get_by_text("Overdue", exact=True)).to_have_count(2)
    expect(page.get_by_label("Only overdue")).to_be_checked()  # the filters stay as chosen
    assert_accessible(page)

    page.get_by_label("Officer").select_option(label="Me")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert shown() == [old_mine.reference]
    expect(page.locator("tbody tr")).to_contain_text(officer.full_name)
    assert_accessible(page)

    page.get_by_label("Only overdue").uncheck()
    page.get_by_label("Sort by").select_option(label="Received, newest first")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert shown() == [new_mine.reference, old_mine.reference]
    page.get_by_label("Sort by").select_option(label="Received, oldest first")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert shown() == [old_mine.reference, new_mine.reference]
    assert_accessible(page)

    page.get_by_label("Officer").select_option(label="Unassigned")
    page.get_by_label("Status").select_option(label="Referred to Channel")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No cases match these filters.")).to_be_visible()
    assert_accessible(page)

    # The queue shows triage facts only: none of what the referrer wrote.
    page.get_by_label("Officer").select_option(label="Anyone")
    page.get_by_label("Status").select_option(label="All cases")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(4)
    text = page.locator("main").inner_text()
    free_text = [CONCERNS, "Rita Referrer", "Riverside Academy", "Form tutor", "rita@riverside.example", "NR1 1AA"]
    for value in free_text + [name for person in people for name in person]:
        assert value not in text, value


def test_a_second_officers_stale_change_is_refused_with_a_message(page, browser, live_server, make_user):
    first, second = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    case = make_referral(make_user(Role.REFERRER)).case

    sign_in(page, second)
    open_case(page, case)
    with another_browser(browser, live_server) as other:
        sign_in(other, first)
        open_case(other, case)
        other.get_by_role("button", name="Start information gathering").click()
        expect_done(other, "Done.", "Information gathering")

    # The second supervisor's page still offers the move they can no longer make.
    expect_status(page, "New, awaiting triage")
    page.get_by_role("button", name="Start information gathering").click()
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text(
        f"While you were looking at this case, {first.full_name} made a change "
        "(Start information gathering: now information gathering). "
        "Nothing you entered was saved: check the case as it is now and try again."
    )
    expect_status(page, "Information gathering")
    expect(page.get_by_role("button", name="Start information gathering")).to_have_count(0)
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == Case.Status.GATHERING
    assert case.events.filter(what__startswith="Start information gathering").count() == 1
