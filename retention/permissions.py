"""Who may do what with retention. Reads nothing but the user and the record; writes nothing."""

from dataclasses import dataclass

from retention.models import RetentionReview

State = RetentionReview.State


def can_review_retention(user) -> bool:
    """Supervisors review records due for retention, keep or erase them, and set legal holds."""
    return user.is_authenticated and user.has_perm("retention.review_retention")


def can_manage_rules(user) -> bool:
    """Supervisors and administrators change retention periods (administrators never see the records)."""
    return user.is_authenticated and user.has_perm("retention.manage_retention_rules")


def can_decide_erasure(user, review=None) -> bool:
    """A second supervisor approves or refuses an erasure: never the one who asked for it."""
    return can_review_retention(user) and (review is None or review.requested_by_id != user.pk)


def can_decide_review(user, review) -> bool:
    """A waiting review is kept or sent for erasure, unless its record is under legal hold (`on_hold`)."""
    return can_review_retention(user) and review.state == State.WAITING and not review.on_hold


def can_approve_erasure(user, review) -> bool:
    """An erasure asked for is approved or refused by another supervisor while it waits."""
    return review.state == State.ERASURE_REQUESTED and can_decide_erasure(user, review)


@dataclass(frozen=True)
class ReviewActions:
    """What a retention review's pages offer: each flag one link, form or notice, decided here."""

    decide: bool = False
    open_case: bool = False
    hold: bool = False
    see_erasure_request: bool = False
    approve: bool = False
    asked_by_you: bool = False  # the erasure waits for another supervisor


def review_actions(user, review, *, held: bool) -> ReviewActions:
    """Return what the review and approval pages offer this user; `held` is a legal hold in force."""
    case_kept = review.case_id is not None and review.state != State.ERASED
    asked = review.state == State.ERASURE_REQUESTED
    return ReviewActions(
        decide=can_decide_review(user, review),
        open_case=case_kept,
        hold=case_kept and not held and can_review_retention(user),
        see_erasure_request=asked,
        approve=can_approve_erasure(user, review),
        asked_by_you=asked and review.requested_by_id == user.pk,
    )
