"""Closed cases and retention reviews, made through the services as the team would."""

from datetime import UTC, datetime

import time_machine

from accounts.models import Role
from cases.models import Case, Outcome
from retention import scan
from retention.models import RetentionReview
from tests.cases.support_factories import decided_case

CLOSED_ON = datetime(2020, 3, 10, 12, 0, tzinfo=UTC)


def closed_case(make_user, *, outcome=Outcome.NFA, at=CLOSED_ON, partner=None, **person) -> Case:
    """A case decided with this outcome and closed at `at` (NFA, signposted and Pursue close at once)."""
    from tests.referrals.factories import make_referral

    with time_machine.travel(at, tick=False):
        if person:
            partner = partner or make_user(Role.REFERRER)
            referral = make_referral(partner, **person)
            case = _decide(make_user, referral.case, outcome)
        else:
            case = decided_case(make_user, partner=partner, outcome=outcome)
        if case.status != Case.Status.CLOSED:  # police-led and Channel close after support
            case = _close(make_user, case)
    return case


def _decide(make_user, case, outcome):
    from cases import services
    from tests.cases.support_factories import ANSWERS

    officer, supervisor = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    case = services.assign(case, to=officer, by=supervisor)
    case = services.move(case, by=officer, action="start_gathering")
    case = services.move(case, by=officer, action="start_assessment")
    services.record_assessment(case, by=officer, answers=ANSWERS, rationale="Assessed.", expected_version=None)
    services.record_decision(
        Case.objects.get(pk=case.pk), by=officer, outcome=outcome, rationale="R.", expected_version=None
    )
    case = Case.objects.get(pk=case.pk)
    if case.status == Case.Status.AWAITING_SIGN_OFF:
        services.sign_off_decision(case, by=supervisor, approve=True, expected_version=None)
    return Case.objects.get(pk=case.pk)


def _close(make_user, case):
    from cases import services

    supervisor = make_user(Role.SUPERVISOR)
    case = services.move(case, by=case.assigned_to, action="propose_closure")
    services.sign_off_closure(case, by=supervisor, approve=True, expected_version=None)
    return Case.objects.get(pk=case.pk)


def queued_review(make_user, *, outcome=Outcome.NFA, **options) -> RetentionReview:
    """A closed case, queued for its retention review by the scan (run on a day after it fell due)."""
    case = closed_case(make_user, outcome=outcome, **options)
    scan.scan(today=datetime(2030, 1, 1).date())
    return RetentionReview.objects.get(case=case, state=RetentionReview.State.WAITING)


def closed_case_with_merged(make_user, *, before_closing=None) -> tuple[Case, Case]:
    """A closed NFA case with a later case about the same person merged into it; `before_closing(merged)` runs first."""
    from cases import services
    from tests.referrals.factories import make_referral

    partner, supervisor = make_user(Role.REFERRER), make_user(Role.SUPERVISOR)
    with time_machine.travel(CLOSED_ON, tick=False):
        case, repeat = make_referral(partner).case, make_referral(partner).case
        services.merge(repeat, into=case, by=supervisor)
        merged = Case.objects.get(pk=repeat.pk)
        if before_closing is not None:
            before_closing(merged)
        case = _decide(make_user, Case.objects.get(pk=case.pk), Outcome.NFA)
    return case, merged
