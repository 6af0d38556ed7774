"""Every read of retention reviews, decisions, holds and rules starts here."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from cases.models import Case
from referrals.models import Referral
from retention import permissions
from retention.models import LegalHold, RetentionDecision, RetentionReview, RetentionRule


def active_holds() -> QuerySet[LegalHold]:
    """Return the legal holds in force (not lifted)."""
    return LegalHold.objects.filter(lifted_at__isnull=True)


def _on_hold() -> Exists:
    """Whether the review's record is under an active legal hold (for a column on a list)."""
    return Exists(
        active_holds().filter(
            Q(case=OuterRef("case"), case__isnull=False) | Q(referral=OuterRef("referral"), referral__isnull=False)
        )
    )


def visible_reviews(user) -> QuerySet[RetentionReview]:
    """Return the retention reviews this user may see: supervisors see all; nobody else (administrators included)."""
    if not permissions.can_review_retention(user):
        return RetentionReview.objects.none()
    return RetentionReview.objects.select_related("requested_by").annotate(on_hold=_on_hold())


def waiting_reviews(user) -> QuerySet[RetentionReview]:
    """Return the reviews waiting for a decision, the longest overdue first."""
    return visible_reviews(user).filter(state=RetentionReview.State.WAITING).order_by("due_on", "id")


def decided_reviews(user) -> QuerySet[RetentionReview]:
    """Return the reviews already decided (kept, erased, cancelled), the latest first."""
    decided = [RetentionReview.State.KEPT, RetentionReview.State.ERASED, RetentionReview.State.CANCELLED]
    return visible_reviews(user).filter(state__in=decided).order_by("-updated_at", "-id")


def erasures_to_approve(user) -> QuerySet[RetentionReview]:
    """Return the erasures waiting for a second supervisor's approval, the oldest request first."""
    return visible_reviews(user).filter(state=RetentionReview.State.ERASURE_REQUESTED).order_by("requested_at", "id")


def decisions_on_record(review: RetentionReview) -> list[RetentionDecision]:
    """Return every decision on the reviews of this review's record, oldest first (its whole retention story)."""
    return list(
        RetentionDecision.objects.filter(review__record_id=review.record_id).select_related("by").order_by("at", "id")
    )


def current_rule(review: RetentionReview) -> RetentionRule | None:
    """Return the rule the review was queued under, as it stands now (None if it was removed)."""
    return RetentionRule.objects.filter(key=review.rule_key).first()


def visible_holds(user) -> QuerySet[LegalHold]:
    """Return the legal holds, for supervisors only."""
    if not permissions.can_review_retention(user):
        return LegalHold.objects.none()
    return LegalHold.objects.select_related("set_by", "lifted_by")


def visible_rules(user) -> QuerySet[RetentionRule]:
    """Return the retention rules, for those who may change them."""
    if not permissions.can_manage_rules(user):
        return RetentionRule.objects.none()
    return RetentionRule.objects.select_related("updated_by").order_by("id")


def record_by_reference(reference: str) -> Case | Referral | None:
    """Return the case a reference names (a referral's reference names its case), else the referral, or None."""
    case = Case.objects.filter(reference=reference).first()
    if case is not None:
        return case
    referral = Referral.objects.select_related("case").filter(reference=reference).first()
    return referral.case if referral is not None and referral.case is not None else referral


def active_hold_on(record) -> LegalHold | None:
    """Return the active legal hold on a case or referral, if any."""
    field = "case" if record._meta.label_lower == "cases.case" else "referral"
    return active_holds().filter(**{field: record}).first()


def is_held(record) -> bool:
    """Return whether an active legal hold stops this case or referral from being erased."""
    return active_hold_on(record) is not None


def reviewers(*, exclude=None) -> "list[User]":
    """Return the active users who decide retention reviews, leaving out `exclude`."""
    users = User.objects.filter(
        is_active=True, organisation__is_active=True, groups__permissions__codename="review_retention"
    ).distinct()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.only("pk"))
