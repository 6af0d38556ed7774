"""Writes after the decision: Channel panel, support plan, consent, provider access, reviews.

Provider access is a django-guardian object permission on the case, given with the grant and taken
away with its revocation, so it ends at once; every grant, view and revocation is audited as a
disclosure naming the recipient.
"""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import User
from audit.services import record
from cases import lifecycle, notices, permissions
from cases.lifecycle import PROVIDER_PERMISSION, end_provider_access
from cases.models import (
    AgendaItem,
    Case,
    Consent,
    PanelMeeting,
    ProgressNote,
    ProviderGrant,
    Review,
    SupportPlan,
)


def _worker(by: User, case) -> None:
    if not permissions.works_on(by, case):
        raise PermissionDenied


@transaction.atomic
def create_meeting(*, by: User, meets_on, title: str, members) -> PanelMeeting:
    if not permissions.can_work_cases(by):
        raise PermissionDenied
    meeting = PanelMeeting.objects.create(meets_on=meets_on, title=title, created_by=by)
    meeting.members.set(members)
    record(by=by, action="panel.meeting_created", target=meeting, member_ids=[member.pk for member in members])
    return meeting


@transaction.atomic
def list_case(meeting: PanelMeeting, *, case: Case, by: User) -> AgendaItem:
    """Put a case referred to Channel on a meeting's agenda: its members may then see it (a disclosure)."""
    case = lifecycle.lock(case, None)
    _worker(by, case)
    if case.status != Case.Status.CHANNEL:
        raise ValidationError("Only a case referred to the Channel panel can be listed.")
    item, _ = AgendaItem.objects.get_or_create(meeting=meeting, case=case)
    lifecycle.add_event(case, by, f"Listed for the panel on {meeting.meets_on:%d %B %Y}")
    record(
        by=by,
        action="case.disclosed_to_panel",
        target=case,
        meeting_id=str(meeting.pk),
        recipient_user_ids=list(meeting.members.values_list("pk", flat=True)),
    )
    notices.listed_for_panel(item)
    return item


@transaction.atomic
def record_panel_decision(item: AgendaItem, *, by: User, adopted: bool, onward_referral: str = "") -> AgendaItem:
    """Record the panel's decision: adopted (support follows) or not (consider health or social care)."""
    case = lifecycle.lock(item.case, None)
    if item.decision != AgendaItem.Decision.PENDING:
        raise ValidationError("The panel's decision on this case is already recorded.")
    meets_on = item.meeting.meets_on
    if timezone.localdate() < meets_on:
        raise ValidationError(f"The panel meets on {meets_on:%-d %B %Y}: record its decision on or after that day.")
    lifecycle.move_case(case, by=by, action="panel_adopts" if adopted else "panel_declines")
    item.decision = AgendaItem.Decision.ADOPTED if adopted else AgendaItem.Decision.NOT_ADOPTED
    item.onward_referral, item.decided_by, item.decided_at = onward_referral, by, timezone.now()
    item.save(update_fields=["decision", "onward_referral", "decided_by", "decided_at"])
    record(by=by, action="panel.decided", target=case, adopted=adopted, meeting_id=str(item.meeting_id))
    return item


@transaction.atomic
def save_support_plan(case: Case, *, by: User, **plan) -> SupportPlan:
    case = lifecycle.lock(case, None)
    _worker(by, case)
    if case.status != Case.Status.SUPPORT:
        raise ValidationError("A support plan follows an adopted or police-led case.")
    support_plan, _ = SupportPlan.objects.update_or_create(
        case=case, defaults={**plan, "updated_by": by, "updated_at": timezone.now()}
    )
    lifecycle.add_event(case, by, "Support plan saved")
    record(by=by, action="case.support_plan_saved", target=case)
    return support_plan


@transaction.atomic
def record_consent(case: Case, *, by: User, state: str, given_by: str, under_18: bool, note: str = "") -> Consent:
    """Record consent; refusing or withdrawing it ends every provider's access at once."""
    case = lifecycle.lock(case, None)
    _worker(by, case)
    if under_18 and given_by == Consent.GivenBy.PERSON:
        raise ValidationError({"given_by": "For someone under 18, consent comes from a parent or guardian."})
    if not under_18 and given_by != Consent.GivenBy.PERSON:
        raise ValidationError({"given_by": "Someone 18 or over gives their own consent."})
    consent = Consent.objects.create(
        case=case,
        state=state,
        given_by=given_by,
        under_18=under_18,
        note=note,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    lifecycle.add_event(
        case, by, f"Consent {consent.get_state_display().lower()} ({consent.get_given_by_display().lower()})"
    )
    record(by=by, action="case.consent_recorded", target=case, state=state, given_by=given_by)
    if state != Consent.State.GIVEN:
        end_provider_access(case, by=by, why="consent " + state)
    return consent


def consent_given(case: Case) -> bool:
    latest = case.consents.first()
    return latest is not None and latest.state == Consent.State.GIVEN


@transaction.atomic
def grant_provider(case: Case, *, by: User, provider, sections: list[str]) -> ProviderGrant:
    """Give a support provider the chosen sections of the case; needs consent first."""
    case = lifecycle.lock(case, None)
    _worker(by, case)
    if not permissions.is_provider(provider):
        raise ValidationError({"provider": "Choose someone with the support provider role."})
    if case.status != Case.Status.SUPPORT:
        raise ValidationError("Providers are given access once the case is in support.")
    if not consent_given(case):
        raise ValidationError("Record consent before giving a provider access.")
    grant = ProviderGrant.objects.create(
        case=case, provider=provider, sections=sorted(sections), granted_by=by, granted_at=timezone.now()
    )
    assign_perm(PROVIDER_PERMISSION, provider, case)
    labels = dict(ProviderGrant.Section.choices)
    shown = ", ".join(str(labels.get(section, section)) for section in sorted(sections))
    lifecycle.add_event(case, by, f"{provider.full_name} given access to: {shown}")
    record(
        by=by,
        action="case.disclosed_to_provider",
        target=case,
        recipient_user_id=provider.pk,
        recipient_organisation_id=provider.organisation_id,
        sections=sorted(sections),
    )
    notices.provider_granted(grant)
    return grant


@transaction.atomic
def grant_providers(
    case: Case, *, by: User, sections: list[str], user_id=None, organisation_id=None
) -> list[ProviderGrant]:
    """Give one provider, or every provider in an organisation, the chosen sections of the case."""
    from accounts.models import User

    providers = User.objects.filter(is_active=True, groups__name="support_provider")
    if user_id is not None:
        providers = providers.filter(pk=user_id)
    else:
        providers = providers.filter(organisation_id=organisation_id)
    providers = list(providers)
    if not providers:
        raise ValidationError({"provider": "Choose someone with the support provider role."})
    return [grant_provider(case, by=by, provider=provider, sections=sections) for provider in providers]


@transaction.atomic
def revoke_provider(grant: ProviderGrant, *, by: User) -> None:
    """End a provider's access to the case, at once."""
    lifecycle.lock(grant.case, None)
    _worker(by, grant.case)
    grant = ProviderGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        lifecycle.revoke_grant(grant, by=by, why="revoked")


@transaction.atomic
def record_progress(case: Case, *, by: User, text: str) -> ProgressNote:
    """A provider records progress on a case shared with them."""
    case = lifecycle.lock(case, None)
    if not permissions.supports(by, case):
        raise PermissionDenied
    note = ProgressNote.objects.create(case=case, written_by=by, written_at=timezone.now(), text=text)
    lifecycle.add_event(case, by, "Provider recorded progress")
    record(by=by, action="case.progress_recorded", target=case)
    return note


@transaction.atomic
def hand_back(case: Case, *, by: User) -> None:
    """A provider hands the case back: their access ends."""
    case = lifecycle.lock(case, None)
    if not permissions.supports(by, case):
        raise PermissionDenied
    for grant in case.grants.filter(provider=by, revoked_at__isnull=True):
        grant.handed_back_at = timezone.now()
        grant.save(update_fields=["handed_back_at"])
        lifecycle.revoke_grant(grant, by=by, why="handed back")


@transaction.atomic
def complete_review(review: Review, *, by: User, outcome: str, note: str = "") -> Review:
    """Record a review: no concerns, review again at 24 months, or reopen the case."""
    case = lifecycle.lock(review.case, None)
    if not permissions.can_open(by, case) or not permissions.can_work_cases(by):
        raise PermissionDenied
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.done_at is not None:
        raise ValidationError("This review has already been done.")
    if timezone.localdate() < review.due_on and not note.strip():
        raise ValidationError(
            {"note": f"Give a reason for reviewing early: this review is due on {review.due_on:%-d %B %Y}"}
        )
    review.outcome, review.note, review.done_by, review.done_at = outcome, note, by, timezone.now()
    review.save(update_fields=["outcome", "note", "done_by", "done_at"])
    if outcome == Review.Outcome.EXTENDED:
        Review.objects.get_or_create(
            case=case, months=24, defaults={"due_on": timezone.localdate(case.closed_at) + relativedelta(months=24)}
        )
    if outcome == Review.Outcome.REOPENED:
        case.reviews.filter(done_at__isnull=True).delete()
        lifecycle.move_case(case, by=by, action="reopen")
    lifecycle.set_next_review(case)
    lifecycle.save_versioned(case)
    lifecycle.add_event(case, by, f"{review.months}-month review: {review.get_outcome_display().lower()}")
    record(by=by, action="case.reviewed", target=case, months=review.months, outcome=outcome)
    return review
