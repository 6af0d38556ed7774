"""The case page says who the person is and what happens next; referral and case link to each other."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from cases import documents, selectors, services
from cases.models import Case
from rights import services as rights_services
from rights.selectors import person_summary
from tests.referrals.factories import make_referral, pdf


def test_the_summary_card_names_the_person_as_the_police_hold_them(make_user, signed_in):
    school, clinic = make_user(Role.REFERRER), make_user(Role.REFERRER)
    referral = make_referral(
        school,
        surname="Kowalski",
        forenames="Michal",
        aliases="Mick Kowal",
        dob_known="exact",
        date_of_birth="2009-03-27",
        birth_year=None,
        gender="male",
    )
    referral.answers["contact-details"] |= {"address": "1 High Street", "school_or_occupation": "Riverside Academy"}
    referral.save(update_fields=["answers"])
    case = referral.case
    supervisor = signed_in(Role.SUPERVISOR)
    rights_services.rectify(case, by=supervisor.user, field="forenames", value="Michał", reason="Spelling")
    summary = person_summary(case, list(case.referrals.select_related("organisation")), today=date(2026, 12, 3))
    assert (summary.name, summary.other_names, summary.born, summary.age) == (
        "Michał Kowalski",
        "Mick Kowal",
        "27 March 2009",
        "17",
    )
    assert (summary.gender, summary.address, summary.postcode) == ("Male", "1 High Street", "NR1 1AA")
    assert summary.school_or_occupation == "Riverside Academy"
    assert summary.organisations == [str(school.organisation)]
    assert clinic  # a second partner, referring nothing here

    body = supervisor.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '<h2 class="govuk-summary-card__title">Michał Kowalski</h2>' in body
    assert "27 March 2009 (age " in body and "Riverside Academy" in body


def test_a_year_of_birth_gives_an_age_range_and_next_steps_follow_the_status(make_user):
    partner = make_user(Role.REFERRER)
    case = make_referral(partner, birth_year=2010).case
    summary = person_summary(case, list(case.referrals.all()), today=date(2026, 12, 3))
    assert (summary.born, summary.age) == ("In 2010", "15 or 16")
    action = selectors.next_action(case)
    assert action.text == "Triage: take or assign the case" and action.due == case.assessment_due
    case.status = Case.Status.AWAITING_SIGN_OFF
    assert selectors.next_action(case).due is None


def test_the_referral_page_links_to_its_case(make_user, signed_in):
    referral = make_referral(make_user(Role.REFERRER))
    officer = signed_in(Role.SUPERVISOR)
    body = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f'href="{reverse("cases:detail", args=[referral.case_id])}">{referral.case.reference}</a>' in body


def test_the_case_page_runs_a_fixed_number_of_queries_whatever_the_case_holds(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    supervisor = signed_in(Role.SUPERVISOR)
    small = make_referral(partner).case
    big = make_referral(partner, surname="Other").case
    for number in range(20):
        services.add_note(big, by=supervisor.user, text=f"Note {number}")
    for number in range(5):
        documents.add_document(big, by=supervisor.user, upload=pdf(), title=f"Document {number}")
    supervisor.get(reverse("cases:detail", args=[small.pk]))  # warms the caches
    counts = []
    for case in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert supervisor.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    # Session, user, device and roles; the case and each of its sections (cover and documents included) once; the
    # audit event. Pinned: a new query (or one per row) shows up here.
    assert counts[0] <= 20, counts
