"""A small, hand-countable world for the reports: five referrals from two partners over two periods.

Period: Monday 2 March to Sunday 29 March 2026 (4 weeks); the previous period is 2 February to 1 March.
"Today" is Monday 30 March 2026.

- r1: partner A (education, area North), Mon 2 Mar; 11-15, male, Islamist. Assessed 4 Mar (2 days), Channel
  signed off 6 Mar (4 days), adopted 12 Mar, consent given 13 Mar.
- r2: A, Tue 3 Mar; 16-17, female, extreme right-wing. Assessed 13 Mar (10 days; due 10 Mar: late), no
  further action signed off 16 Mar (13 days).
- r3: partner B (health), Tue 10 Mar; 21-30, gender not known, type not given. Not assessed, unassigned, due
  17 Mar: overdue.
- r4: B, Tue 10 Feb (previous period); age not known, female, Islamist. Channel, not adopted.
- r5: A, Fri 20 Mar; the same person as r1 (confirmed): joins r1's case.
"""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts import services as accounts_services
from accounts.models import Organisation, Role
from cases import intake, services, support
from cases.models import Case, Consent, Outcome
from referrals import services as referral_services
from referrals.models import ReferralLink
from reports.forms import Period
from reports.models import PartnerArea
from tests.referrals.factories import make_draft

PERIOD = Period(date(2026, 3, 2), date(2026, 3, 29))
TODAY = date(2026, 3, 30)
ANSWERS = {"engagement": {"rating": "medium", "notes": ""}}


def at(day, month, hour=10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=UTC), tick=False)


def submit(author, when, concern="not_sure", **person):
    with when:
        draft = make_draft(author, **person)
        draft = referral_services.save_section(draft, by=author, slug="type-of-concern", data={"concern_type": concern})
        return intake.submit_referral(draft, by=author)


def decide(case, officer, supervisor, *, assessed, decided, outcome):
    with assessed:
        case = services.move(case, by=officer, action="start_gathering")
        case = services.move(case, by=officer, action="start_assessment")
        services.record_assessment(case, by=officer, answers=ANSWERS, rationale="Seen.", expected_version=None)
    with decided:
        case = Case.objects.get(pk=case.pk)
        services.record_decision(case, by=officer, outcome=outcome, rationale="Because.", expected_version=None)
        services.sign_off_decision(Case.objects.get(pk=case.pk), by=supervisor, approve=True, expected_version=None)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def world(make_user):
    school = accounts_services.create_organisation(
        by=None, name="Riverside Academy", kind=Organisation.Kind.PARTNER, sector=Organisation.Sector.EDUCATION
    )
    surgery = accounts_services.create_organisation(
        by=None, name="Hill Surgery", kind=Organisation.Kind.PARTNER, sector=Organisation.Sector.HEALTH
    )
    north = PartnerArea.objects.create(name="North")
    north.organisations.add(school)
    PartnerArea.objects.create(name="South")
    partner_a = make_user(Role.REFERRER, organisation=school)
    partner_b = make_user(Role.REFERRER, organisation=surgery)
    officer = make_user(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    panel = make_user(Role.PANEL_MEMBER)

    teen = {"surname": "Stone", "forenames": "Sam", "dob_known": "exact", "date_of_birth": "2010-06-01"}
    r1 = submit(partner_a, at(2, 3), "islamist", gender="male", birth_year=None, **teen)
    r2 = submit(
        partner_a, at(3, 3), "extreme_right_wing", surname="Ash", forenames="Kim", gender="female",
        dob_known="age", approximate_age=17, birth_year=None,
    )  # fmt: skip
    r3 = submit(partner_b, at(10, 3), surname="Birch", forenames="Lee", birth_year=2000)
    r4 = submit(
        partner_b, at(10, 2), "islamist", surname="Cedar", forenames="Jo", gender="female", dob_known="unknown",
        birth_year=None,
    )  # fmt: skip

    with at(2, 3, 11):
        for referral in (r1, r2):
            services.assign(referral.case, to=officer, by=supervisor)
    with at(10, 2, 11):
        services.assign(r4.case, to=officer, by=supervisor)
    case1 = decide(r1.case, officer, supervisor, assessed=at(4, 3), decided=at(6, 3), outcome=Outcome.CHANNEL)
    decide(r2.case, officer, supervisor, assessed=at(13, 3), decided=at(16, 3), outcome=Outcome.NFA)
    case4 = decide(r4.case, officer, supervisor, assessed=at(11, 2), decided=at(12, 2), outcome=Outcome.CHANNEL)
    with at(12, 3):
        meeting = support.create_meeting(by=officer, meets_on=date(2026, 3, 12), title="March panel", members=[panel])
        support.record_panel_decision(support.list_case(meeting, case=case1, by=officer), by=panel, adopted=True)
        support.record_panel_decision(support.list_case(meeting, case=case4, by=officer), by=panel, adopted=False)
    with at(13, 3):
        support.record_consent(
            Case.objects.get(pk=case1.pk),
            by=officer,
            state=Consent.State.GIVEN,
            given_by=Consent.GivenBy.PARENT,
            under_18=True,
        )
    r5 = submit(partner_a, at(20, 3), "islamist", gender="male", birth_year=None, **teen)
    with at(20, 3, 12):
        link = ReferralLink.objects.get(referral=r5, earlier=r1)
        intake.decide_link(link, by=officer, same_person=True)
    return {
        "partner_a": partner_a,
        "partner_b": partner_b,
        "officer": officer,
        "supervisor": supervisor,
        "north": north,
        "referrals": [r1, r2, r3, r4, r5],
    }
