"""A case with something in every section of its case file, made with the services as the team would."""

import datetime

from accounts.models import Role
from cases import panel, services, support
from cases.models import Case, Check, Consent, Outcome
from tests.referrals.factories import make_referral

CHECK_NOTE = "Known to CTP under operation KESTREL."
ASSESSMENT_RATIONALE = "Assessed as vulnerable: engagement rising."
DECISION_RATIONALE = "Refer to Channel: grounds to believe vulnerable."
PANEL_SUMMARY = "Withdrawn at school; the family asks for help."
PANEL_MINUTES = "The panel agreed a mentor and a check-in by the school."
SIGN_OFF_NOTE = "Agreed after speaking to the DS."
MEETING = "December Channel panel"
SUPPORT_PLAN = {
    "support": "Weekly mentoring with an intervention provider.",
    "provided_by": "Intervention provider",
    "how_and_when": "Weekly, at school.",
    "consent_sought_by": "The school's DSL",
    "consent_method": "Meeting with a parent",
}


def full_case(make_user, *, officer=None, notes: int = 0) -> Case:
    """A case through Channel into support: a deconfliction check, an assessment, a signed-off decision, a panel
    entry, a support plan and consent; `notes` case notes add as many lines to the chronology."""
    officer = officer or make_user(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    case = services.assign(make_referral(make_user(Role.REFERRER)).case, to=officer, by=supervisor)
    case = services.move(case, by=officer, action="start_gathering")
    services.record_check(
        case, by=officer, kind=Check.Kind.DECONFLICTION, result=Check.Result.LIVE_INVESTIGATION, note=CHECK_NOTE
    )
    case = services.move(Case.objects.get(pk=case.pk), by=officer, action="start_assessment")
    answers = {"engagement": {"rating": "high", "notes": "Shares material."}}
    services.record_assessment(case, by=officer, answers=answers, rationale=ASSESSMENT_RATIONALE, expected_version=None)
    case = Case.objects.get(pk=case.pk)
    services.record_decision(
        case, by=officer, outcome=Outcome.CHANNEL, rationale=DECISION_RATIONALE, expected_version=None
    )
    case = Case.objects.get(pk=case.pk)
    services.sign_off_decision(case, by=supervisor, approve=True, note=SIGN_OFF_NOTE, expected_version=None)
    case = Case.objects.get(pk=case.pk)
    meeting = support.create_meeting(by=officer, meets_on=datetime.date(2026, 12, 1), title=MEETING, members=[])
    item = support.list_case(meeting, case=case, by=officer)
    panel.write_summary(item, by=officer, text=PANEL_SUMMARY)
    panel.record_minutes(item, by=officer, text=PANEL_MINUTES)
    support.record_panel_decision(item, by=officer, adopted=True)
    case = Case.objects.get(pk=case.pk)
    support.save_support_plan(case, by=officer, **SUPPORT_PLAN)
    support.record_consent(case, by=officer, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PARENT, under_18=True)
    for number in range(notes):
        services.add_note(case, by=officer, text=f"Note {number}.")
    return Case.objects.get(pk=case.pk)
