"""Every retention decision: atomic, permission-checked, locked, recorded as a decision and audited.

Keep (with a reason and a next review date) or ask to erase; a second supervisor approves or refuses the
erasure; a legal hold stops both until it is lifted. Locks are taken review first, then the record: setting
a hold locks the record too, so an approval and a hold on the same record take turns, and the approval sees
a hold set a moment before it.
"""

import functools
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases.models import Case
from core.notes import REASON_MAX_LENGTH, bounded
from referrals.models import Referral
from retention import notices, permissions, selectors
from retention.models import LegalHold, RetentionDecision, RetentionReview, RetentionRule
from retention.scan import DRAFT_CHANGED, GONE, REOPENED, cancel_reviews

# A kept record is looked at again within this many years at the latest.
MAX_KEEP_YEARS = 10
HELD = "This record is under a legal hold: nothing can be decided or erased until the hold is lifted."
# Why a review is cancelled when its record changed since it was queued (as the scan says), and what the user reads.
CHANGED = {
    RetentionReview.Kind.CASE: (
        REOPENED,
        "This case was reopened after the review was queued; the review has been cancelled.",
    ),
    RetentionReview.Kind.REFERRAL: (
        DRAFT_CHANGED,
        "This draft referral was submitted or changed after the review was queued; the review has been cancelled.",
    ),
    None: (GONE, "This record no longer exists; the review has been cancelled."),
}
# SQLite allows at most 999 parameters in a statement: blank rows about erased records in batches.
BATCH = 500


class _RecordChanged(Exception):
    """The record under review is no longer the one queued (reopened, submitted, erased): cancel the review."""

    def __init__(self, kind):
        self.reason, self.message = CHANGED[kind]
        super().__init__(self.message)


def _locked_review(review: RetentionReview) -> RetentionReview:
    return RetentionReview.objects.select_for_update(of=("self",)).get(pk=review.pk)


def _locked_record(review: RetentionReview):
    """Lock the record under review; None if it is no longer held."""
    if review.case_id is not None:
        return Case.objects.select_for_update(of=("self",)).filter(pk=review.case_id).first()
    if review.referral_id is not None:
        return Referral.objects.select_for_update(of=("self",)).filter(pk=review.referral_id).first()
    return None


def _as_queued(review: RetentionReview, record_) -> bool:
    """Return whether the record is still closed (a draft: untouched) exactly as when the review was queued."""
    if review.kind == RetentionReview.Kind.CASE:
        return record_.status == Case.Status.CLOSED and record_.closed_at == review.closed_at
    return record_.status == Referral.Status.DRAFT and record_.updated_at == review.closed_at


def _open_for_decision(review: RetentionReview, *, by: User, state=RetentionReview.State.WAITING):
    """Lock the review and its record; refuse unless the review is in `state` and the record, as queued, not held."""
    if not permissions.can_review_retention(by):
        raise PermissionDenied
    review = _locked_review(review)
    if review.state != state:
        raise ValidationError(
            f"This review is now '{review.get_state_display().lower()}': someone decided it meanwhile. "
            "Nothing you entered was saved."
        )
    record_ = _locked_record(review)
    if record_ is None:
        raise _RecordChanged(None)
    if not _as_queued(review, record_):
        raise _RecordChanged(review.kind)
    if selectors.is_held(record_):
        raise ValidationError(HELD)
    return review, record_


@transaction.atomic
def _cancel(review: RetentionReview, *, by: User, reason: str) -> None:
    """Cancel an open review whose record changed since it was queued, as the nightly scan would."""
    # No one decided it (the decision row names no one): the record changed under it, and this user found out.
    if cancel_reviews([review.pk], reason=reason):
        record(by=by, action="retention.review_cancelled", target=review, reason=reason)


def _cancels_if_changed(service):
    """Run a decision; if the record changed since it was queued, cancel the review for good and refuse."""

    @functools.wraps(service)
    def run(review: RetentionReview, *, by: User, **kwargs):
        try:
            return service(review, by=by, **kwargs)
        except _RecordChanged as changed:
            # The decision's transaction is rolled back; the cancellation must outlive it.
            _cancel(review, by=by, reason=changed.reason)
            raise ValidationError(changed.message) from None

    return run


def _decide(review: RetentionReview, *, by: User, action: str, reason: str, next_review_on: date | None = None) -> None:
    RetentionDecision.objects.create(
        review=review, action=action, by=by, at=timezone.now(), reason=reason, next_review_on=next_review_on
    )


def _reason(reason: str) -> str:
    return bounded(reason, field="reason", limit=REASON_MAX_LENGTH, what="The reason", required_message="Give a reason")


@_cancels_if_changed
@transaction.atomic
def keep(review: RetentionReview, *, by: User, reason: str, next_review_on: date) -> RetentionReview:
    """Keep the record, with the reason and the date it is to be reviewed again."""
    reason = _reason(reason)
    today = timezone.localdate()
    if next_review_on is None or next_review_on <= today:
        raise ValidationError({"next_review_on": "The next review date must be in the future"})
    if next_review_on > today + relativedelta(years=MAX_KEEP_YEARS):
        raise ValidationError(
            {"next_review_on": f"The next review date must be within {MAX_KEEP_YEARS} years from today"}
        )
    review, _ = _open_for_decision(review, by=by)
    review.state = RetentionReview.State.KEPT
    review.next_review_on = next_review_on
    review.save(update_fields=["state", "next_review_on", "updated_at"])
    _decide(review, by=by, action=RetentionDecision.Action.KEPT, reason=reason, next_review_on=next_review_on)
    record(by=by, action="retention.kept", target=review, next_review_on=next_review_on.isoformat())
    return review


@_cancels_if_changed
@transaction.atomic
def request_erasure(review: RetentionReview, *, by: User, reason: str) -> RetentionReview:
    """Ask for the record to be erased; another supervisor must approve it. The approvers are told."""
    reason = _reason(reason)
    review, _ = _open_for_decision(review, by=by)
    review.state = RetentionReview.State.ERASURE_REQUESTED
    review.requested_by, review.requested_at = by, timezone.now()
    review.save(update_fields=["state", "requested_by", "requested_at", "updated_at"])
    _decide(review, by=by, action=RetentionDecision.Action.ERASURE_REQUESTED, reason=reason)
    record(by=by, action="retention.erasure_requested", target=review, rule=review.rule_code)
    notices.erasure_approval_requested(review, selectors.reviewers(exclude=by))
    return review


def _two_people(review: RetentionReview, by: User) -> None:
    if not permissions.can_decide_erasure(by, review):
        raise ValidationError("You asked for this erasure: another supervisor must approve or refuse it.")


@_cancels_if_changed
@transaction.atomic
def approve_erasure(review: RetentionReview, *, by: User):
    """A second supervisor approves: the record is erased under its rule, leaving a tombstone. Refused under a hold."""
    from privacy.erasure import erase_case, erase_referral

    review, record_ = _open_for_decision(review, by=by, state=RetentionReview.State.ERASURE_REQUESTED)
    _two_people(review, by)
    record(
        by=by,
        action="retention.erasure_approved",
        target=review,
        rule=review.rule_code,
        requested_by_id=review.requested_by_id,
    )
    # Found now: once erased, a hold no longer points at its record.
    holds = _holds_erased_with(record_)
    erase = erase_case if review.kind == RetentionReview.Kind.CASE else erase_referral
    tombstone = erase(record_, rule=review.rule_code, requested_by=review.requested_by, approved_by=by)
    _forget_erased(tombstone, holds)
    review.reference = ""
    _decide(review, by=by, action=RetentionDecision.Action.ERASURE_APPROVED, reason="Approved")
    review.state = RetentionReview.State.ERASED
    review.save(update_fields=["state", "reference", "updated_at"])
    return tombstone


def _holds_erased_with(record_) -> list[int]:
    """Return the ids of the holds on the record and on what its erasure takes along (merged cases, referrals)."""
    if not isinstance(record_, Case):
        return list(LegalHold.objects.filter(referral=record_).values_list("pk", flat=True))
    cases, frontier = [record_.pk], [record_.pk]
    while frontier:
        frontier = list(Case.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        cases.extend(frontier)
    about = LegalHold.objects.filter(Q(case__in=cases) | Q(referral__case__in=cases))
    return list(about.values_list("pk", flat=True))


def _forget_erased(tombstone, holds: list[int]) -> None:
    """Blank what retention rows say about every record erased (the case, cases merged into it, their referrals).

    What could identify or describe the person goes with the record; who decided what, when and under which rule
    stays (as on the tombstone). The reference too: partners quote it beside the person's name.
    """
    erased = [*tombstone.erased_ids.get("cases.case", []), *tombstone.erased_ids.get("referrals.referral", [])]
    for start in range(0, len(erased), BATCH):
        batch = erased[start : start + BATCH]
        RetentionReview.objects.filter(record_id__in=batch).update(reference="")
        RetentionDecision.objects.filter(review__record_id__in=batch).update(reason="")
    for start in range(0, len(holds), BATCH):
        LegalHold.objects.filter(pk__in=holds[start : start + BATCH]).update(reference="", reason="", lift_reason="")


@transaction.atomic
def reject_erasure(review: RetentionReview, *, by: User, reason: str) -> RetentionReview:
    """A second supervisor refuses the erasure: the review waits for a decision again."""
    reason = _reason(reason)
    if not permissions.can_review_retention(by):
        raise PermissionDenied
    review = _locked_review(review)
    if review.state != RetentionReview.State.ERASURE_REQUESTED:
        raise ValidationError("This erasure is no longer waiting for approval: someone decided it meanwhile.")
    _two_people(review, by)
    review.state = RetentionReview.State.WAITING
    review.requested_by, review.requested_at = None, None
    review.save(update_fields=["state", "requested_by", "requested_at", "updated_at"])
    _decide(review, by=by, action=RetentionDecision.Action.ERASURE_REJECTED, reason=reason)
    record(by=by, action="retention.erasure_rejected", target=review)
    return review


@transaction.atomic
def set_hold(record_, *, by: User, reason: str) -> LegalHold:
    """Put a case (or a draft referral) under legal hold: no review decision and no erasure until it is lifted."""
    reason = _reason(reason)
    if not permissions.can_review_retention(by):
        raise PermissionDenied
    model = type(record_)
    record_ = model.objects.select_for_update(of=("self",)).filter(pk=record_.pk).first()
    if record_ is None:
        raise ValidationError("That record no longer exists.")
    if selectors.is_held(record_):
        raise ValidationError(f"{record_.reference or 'This record'} is already under a legal hold.")
    field = "case" if model is Case else "referral"
    hold = LegalHold.objects.create(
        **{field: record_}, reference=record_.reference or "", reason=reason, set_by=by, set_at=timezone.now()
    )
    record(by=by, action="retention.hold_set", target=hold, case=getattr(record_, "case_id", None))
    return hold


@transaction.atomic
def lift_hold(hold: LegalHold, *, by: User, reason: str) -> LegalHold:
    """Lift a legal hold, with the reason: review and erasure may go ahead again."""
    reason = _reason(reason)
    if not permissions.can_review_retention(by):
        raise PermissionDenied
    hold = LegalHold.objects.select_for_update(of=("self",)).get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError("This legal hold was already lifted.")
    hold.lifted_by, hold.lifted_at, hold.lift_reason = by, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    record(by=by, action="retention.hold_lifted", target=hold)
    return hold


@transaction.atomic
def change_rule(rule: RetentionRule, *, by: User, period: int, unit: str, under_18_period: int | None) -> RetentionRule:
    """Change a retention period; the next scan uses it. Recorded with the values before and after."""
    if not permissions.can_manage_rules(by):
        raise PermissionDenied
    if period is None or period < 1:
        raise ValidationError({"period": "The period must be 1 or more"})
    if under_18_period is not None and under_18_period < 1:
        raise ValidationError({"under_18_period": "The period for people under 18 must be 1 or more, or left empty"})
    if unit not in RetentionRule.Unit.values:
        raise ValidationError({"unit": "Select days, months or years"})
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    before = {"period": rule.period, "unit": rule.unit, "under_18_period": rule.under_18_period}
    after = {"period": period, "unit": unit, "under_18_period": under_18_period}
    if before == after:
        return rule
    rule.period, rule.unit, rule.under_18_period, rule.updated_by = period, unit, under_18_period, by
    rule.save(update_fields=["period", "unit", "under_18_period", "updated_by", "updated_at"])
    record(by=by, action="retention.rule_changed", target=rule, rule=rule.key, before=before, after=after)
    return rule
