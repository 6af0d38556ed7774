"""Every write to cases: atomic, permission-checked, versioned against lost updates, audited.

Each change also adds a line to the case's chronology (CaseEvent) in the same transaction.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases import lifecycle, notices, permissions, selectors
from cases.lifecycle import Conflict  # noqa: F401  (views and tests catch it from here)
from cases.models import (
    OUTCOME_STATUS,
    Assessment,
    AssessmentTemplate,
    Case,
    CaseNote,
    Check,
    Decision,
    Outcome,
)
from core.calendar import working_days_after
from core.notes import REASON_MAX_LENGTH, bounded
from core.references import new_reference
from referrals import notices as referral_notices


@transaction.atomic
def share_feedback(referral, *, by: User, text: str):
    """Tell the referrer what the officer chooses to share (a disclosure: audited with the recipient)."""
    case = lifecycle.lock(referral.case, None)
    if not permissions.can_open(by, case) or not permissions.can_work_cases(by):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError("Enter the feedback to share with the referrer")
    referral.feedback = text
    referral.save(update_fields=["feedback", "updated_at"])
    lifecycle.add_event(case, by, f"Feedback shared with the referrer of {referral.reference}")
    record(
        by=by,
        action="referral.feedback_shared",
        target=referral,
        recipient_organisation_id=referral.organisation_id,
        recipient_user_id=referral.author_id,
    )
    referral_notices.feedback_shared(referral)
    return referral


@transaction.atomic
def merge(case: Case, *, into: Case, by: User) -> Case:
    """Bring a new case's referrals into the earlier case about the same person, and retire the new one."""
    case = lifecycle.lock(case, None)
    into = lifecycle.lock(into, None)
    if not permissions.can_open(by, into):
        raise PermissionDenied
    if into.status in (Case.Status.CLOSED, Case.Status.MERGED) or into.pk == case.pk:
        raise ValidationError("The earlier case is closed: reopen it first, or keep this case separate.")
    moved = [reference or "" for reference in case.referrals.values_list("reference", flat=True)]
    case.referrals.update(case=into)
    into.referral_count += len(moved)
    lifecycle.save_versioned(into, "referral_count")
    lifecycle.share_status_with_referrers(into)
    case.merged_into = into
    case.save(update_fields=["merged_into"])
    lifecycle.move_case(case, by=by, action="merge")
    lifecycle.add_event(into, by, f"Repeat referral {', '.join(moved)} joined this case from {case.reference}")
    record(by=by, action="case.merged", target=case, into_case_id=str(into.pk))
    return into


@transaction.atomic
def open_case(referral, *, by: User) -> Case:
    """Open a case for a newly received referral (part of submitting it), due for assessment in time."""
    received = referral.submitted_at
    case = Case.objects.create(
        reference=new_reference("PC", Case),
        received_at=received,
        sector=referral.organisation.sector,
        concern_type=referral.concern_type,
        assessment_due=working_days_after(timezone.localdate(received), settings.ASSESSMENT_TARGET_WORKING_DAYS),
    )
    referral.case = case
    referral.save(update_fields=["case", "updated_at"])
    lifecycle.add_event(case, by, f"Referral {referral.reference} received")
    record(by=by, action="case.opened", target=case, referral_id=str(referral.pk))
    return case


@transaction.atomic
def assign(case: Case, *, to, by: User, expected_version: int | None = None) -> Case:
    """Give the case to an officer: a supervisor to anyone in the team, an officer to themselves."""
    case = lifecycle.lock(case, expected_version)
    if not permissions.can_assign(by, case, to):
        raise PermissionDenied
    return hand_to(case, to=to, by=by)


def hand_to(case: Case, *, to, by: User, reason: str = "") -> Case:
    """The steps of every assignment, on a locked and permitted case: save, chronology, audit, notice."""
    previous = case.assigned_to
    case.assigned_to = to
    lifecycle.save_versioned(case, "assigned_to")
    what = f"Assigned to {to.full_name}" + (f" (was {previous.full_name})" if previous else "")
    lifecycle.add_event(case, by, f"{what}: {reason}" if reason else what)
    record(
        by=by,
        action="case.reassigned" if previous else "case.assigned",
        target=case,
        reason=reason,
        to_user_id=to.pk,
        from_user_id=previous.pk if previous else None,
    )
    notices.case_assigned(case, to=to, by=by)
    return case


# A queue page's worth, and then some: a bigger POST is not from our page.
MAX_BULK_CASES = 100


@transaction.atomic
def reassign_many(versions: dict, *, to, by: User, reason: str) -> list[Case]:
    """Give several cases to one officer for one reason, each exactly as `assign` would; all or none.

    `versions` maps each case id to the version the user's page showed. Any case the user may not hand
    on, or that changed since, refuses the whole action, naming the cases by reference.
    """
    reason = bounded(reason, field="reason", limit=REASON_MAX_LENGTH, what="The reason", required_message="Enter why")
    if not permissions.can_work_cases(to):
        raise ValidationError({"to": "Select an officer in the Prevent team"})
    if not versions or len(versions) > MAX_BULK_CASES:
        raise ValidationError({"cases": "Select between 1 and 100 cases"})
    # One locking query, in id order, so two bulk actions over the same cases cannot deadlock.
    cases = list(
        selectors.visible_cases(by).select_for_update(of=("self",)).filter(pk__in=list(versions)).order_by("pk")
    )
    if len(cases) != len(versions):
        raise ValidationError({"cases": "A selected case no longer exists. Nothing was reassigned."})
    refused = sorted(case.reference for case in cases if not permissions.can_hand_on(by, case, to))
    if refused:
        raise ValidationError({"cases": f"You cannot reassign {', '.join(refused)}. Nothing was reassigned."})
    changed = sorted(case.reference for case in cases if case.version != versions[case.pk])
    if changed:
        raise lifecycle.Conflict(
            {
                "cases": f"{', '.join(changed)} changed since the queue was shown. "
                "Nothing was reassigned: check them and try again."
            }
        )
    return [hand_to(case, to=to, by=by, reason=reason) for case in cases]


@transaction.atomic
def move(case: Case, *, by: User, action: str, expected_version: int | None = None) -> Case:
    """Make one move from the transition table (start gathering, start assessment, reopen...)."""
    return lifecycle.move_case(lifecycle.lock(case, expected_version), by=by, action=action)


@transaction.atomic
def add_note(case: Case, *, by: User, text: str) -> CaseNote:
    """Add an officer's case note (notes only add, so they never conflict)."""
    case = lifecycle.lock(case, None)
    if not permissions.can_open(by, case):
        raise PermissionDenied
    note = CaseNote.objects.create(case=case, text=text, written_by=by, written_at=timezone.now())
    lifecycle.add_event(case, by, "Case note added")
    record(by=by, action="case.note_added", target=case, note_id=note.pk)
    return note


@transaction.atomic
def record_check(case: Case, *, by: User, kind: str, result: str, note: str = "") -> Check:
    """Record a check made while gathering information, and the deconfliction result. Police only."""
    case = lifecycle.lock(case, None)
    if not permissions.can_record_check(by, case):
        raise PermissionDenied
    check = Check.objects.create(
        case=case, kind=kind, result=result, note=note, checked_by=by, checked_at=timezone.now()
    )
    lifecycle.add_event(case, by, f"Check recorded: {check.get_kind_display()}, {check.get_result_display().lower()}")
    record(by=by, action="case.check_recorded", target=case, kind=kind, result=result)
    return check


@transaction.atomic
def record_assessment(
    case: Case, *, by: User, answers: dict, rationale: str, expected_version: int | None, concern_type=None
) -> Assessment:
    """Record the structured assessment against the current template version, and the type of concern assessed."""
    case = lifecycle.lock(case, expected_version)
    if case.status != Case.Status.ASSESSMENT:  # with works_on below: permissions.can_assess, kept apart for its message
        raise ValidationError("Start the assessment before recording it.")
    if not permissions.works_on(by, case):
        raise PermissionDenied
    template = current_template()
    assessment = Assessment.objects.create(
        case=case, template=template, answers=answers, rationale=rationale, assessed_by=by, assessed_at=timezone.now()
    )
    fields = []
    if concern_type is not None:
        case.assessed_concern_type = concern_type
        fields.append("assessed_concern_type")
    lifecycle.save_versioned(case, *fields)
    lifecycle.add_event(case, by, f"Assessment recorded ({template.version})")
    concern = concern_type.code if concern_type is not None else ""
    record(by=by, action="case.assessed", target=case, template=template.version, concern_type=concern)
    return assessment


def concern_types_in_force():
    """Return the type-of-concern codes in force today, in the list's order."""
    from referrals.models import ConcernType

    today = timezone.localdate()
    return list(
        ConcernType.objects.filter(valid_from__lte=today).exclude(valid_to__lt=today).order_by("order", "label")
    )


def current_template() -> AssessmentTemplate:
    """Return the assessment template in use (the newest marked current); say so clearly if there is none."""
    template = AssessmentTemplate.objects.filter(is_current=True).order_by("-id").first()
    if template is None:
        raise ValidationError("No assessment template is in use. Ask your system administrator to set one.")
    return template


def needs_sign_off(outcome: str) -> bool:
    return outcome in settings.OUTCOMES_NEEDING_SIGN_OFF


@transaction.atomic
def record_decision(
    case: Case, *, by: User, outcome: str, rationale: str, signposted_to: str = "", expected_version: int | None
) -> Decision:
    """Decide the police outcome; it stands at once unless the team requires a supervisor's sign-off."""
    case = lifecycle.lock(case, expected_version)
    if not case.assessments.exists():
        raise ValidationError("Record the assessment before deciding the outcome.")
    pending = needs_sign_off(outcome)
    target = OUTCOME_STATUS[Outcome(outcome)]
    action = "decide_for_sign_off" if pending else f"decide_{target}"
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        rationale=rationale,
        signposted_to=signposted_to,
        state=Decision.State.PENDING if pending else Decision.State.STANDS,
        decided_by=by,
        decided_at=timezone.now(),
    )
    if not pending:
        case.outcome = outcome
        case.save(update_fields=["outcome"])
    lifecycle.move_case(case, by=by, action=action)
    record(by=by, action="case.decided", target=case, outcome=outcome, needs_sign_off=pending)
    return decision


@transaction.atomic
def sign_off_decision(case: Case, *, by: User, approve: bool, note: str = "", expected_version: int | None) -> Decision:
    """A supervisor other than the decider lets the decision stand, or returns it with a note."""
    case = lifecycle.lock(case, expected_version)
    decision = case.decisions.filter(state=Decision.State.PENDING).first()
    if decision is None:
        raise ValidationError("There is no decision waiting for sign-off.")
    if decision.decided_by_id == by.pk:
        raise ValidationError("Someone other than the officer who decided must sign it off.")
    target = OUTCOME_STATUS[Outcome(decision.outcome)]
    lifecycle.move_case(case, by=by, action=f"sign_off_{target}" if approve else "return_decision")
    decision.state = Decision.State.STANDS if approve else Decision.State.RETURNED
    decision.signed_off_by, decision.signed_off_at, decision.sign_off_note = by, timezone.now(), note
    decision.save(update_fields=["state", "signed_off_by", "signed_off_at", "sign_off_note"])
    if approve:
        case.outcome = decision.outcome
        case.save(update_fields=["outcome"])
    record(by=by, action="case.decision_signed_off" if approve else "case.decision_returned", target=case)
    return decision


@transaction.atomic
def sign_off_closure(case: Case, *, by: User, approve: bool, expected_version: int | None) -> Case:
    """A supervisor other than the proposer closes the case, or returns it to support."""
    case = lifecycle.lock(case, expected_version)
    proposal = case.events.filter(what__startswith="Propose closure").select_related("by").first()
    if approve and proposal is not None and proposal.by_id == by.pk:
        raise ValidationError("Someone other than the officer who proposed closure must sign it off.")
    return lifecycle.move_case(case, by=by, action="sign_off_closure" if approve else "return_closure")
