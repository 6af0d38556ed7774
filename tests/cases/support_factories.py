"""Take cases through the process with the services, as the team would."""

from accounts.models import Role
from cases import services, support
from cases.models import Case, Consent, Outcome
from tests.referrals.factories import make_referral

ANSWERS = {"engagement": {"rating": "medium", "notes": ""}}


def decided_case(make_user, *, partner=None, outcome=Outcome.POLICE_LED, officer=None) -> Case:
    """A case assessed and decided (outcome signed off by a supervisor)."""
    partner = partner or make_user(Role.REFERRER)
    officer = officer or make_user(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    case = make_referral(partner).case
    case = services.assign(case, to=officer, by=supervisor)
    case = services.move(case, by=officer, action="start_gathering")
    case = services.move(case, by=officer, action="start_assessment")
    services.record_assessment(case, by=officer, answers=ANSWERS, rationale="Vulnerable.", expected_version=None)
    case = Case.objects.get(pk=case.pk)
    services.record_decision(case, by=officer, outcome=outcome, rationale="Needs support.", expected_version=None)
    case = Case.objects.get(pk=case.pk)
    if case.status == Case.Status.AWAITING_SIGN_OFF:
        services.sign_off_decision(case, by=supervisor, approve=True, expected_version=None)
    return Case.objects.get(pk=case.pk)


def case_in_support(make_user, *, partner=None, stop_at="support", officer=None) -> Case:
    """A case in support with consent given (or, with stop_at="channel", referred to Channel)."""
    if stop_at == "channel":
        return decided_case(make_user, partner=partner, outcome=Outcome.CHANNEL, officer=officer)
    case = decided_case(make_user, partner=partner, officer=officer)
    support.record_consent(
        case, by=case.assigned_to, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PARENT, under_18=True
    )
    return Case.objects.get(pk=case.pk)


def plan_support(case: Case, *, what: str = "Weekly mentoring") -> Case:
    """Record the case's support plan, as its officer does before giving a provider access."""
    support.save_support_plan(
        case,
        by=case.assigned_to,
        support=what,
        provided_by="Bridgeway",
        how_and_when="Tuesdays",
        consent_sought_by="Officer",
        consent_method="Visit with parent",
    )
    return Case.objects.get(pk=case.pk)
