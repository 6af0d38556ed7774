"""The case write kernel: the steps every write to a case is made of, shared by cases.services and
cases.support (and anything else that changes a case).

A write locks the case (`lock`), checks, changes it, saves it with a new version (`save_versioned`),
adds a line to its chronology (`add_event`) and audits. Closing a case happens in one place: `move_case`
with a transition whose target is CLOSED ends every provider's access (`end_provider_access`) and
schedules the 6 and 12 month reviews (`schedule_reviews`). This module imports neither services nor support.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.shortcuts import remove_perm

from accounts.models import User
from audit.services import record
from cases import notices, permissions
from cases.models import TRANSITIONS_BY_ACTION, Case, CaseEvent, ProviderGrant, Review

PROVIDER_PERMISSION = "cases.support_case"


class Conflict(ValidationError):
    """Someone else changed the case since the page was shown."""


def add_event(case: Case, by: User, what: str) -> None:
    """Add one line to the case's chronology (CaseEvent), in the caller's transaction."""
    CaseEvent.objects.create(case=case, at=timezone.now(), by=by, what=what)


def lock(case: Case, expected_version: int | None) -> Case:
    """Lock the case row; refuse if it changed since the user's page was drawn, saying what changed."""
    case = Case.objects.select_related("assigned_to").select_for_update(of=("self",)).get(pk=case.pk)
    if permissions.is_restricted(case):
        # Kept but not used: only lifting the restriction (rights.services) may change it.
        raise ValidationError(
            "This case is restricted: it is kept but not used. A supervisor must lift the restriction first."
        )
    if expected_version is not None and case.version != expected_version:
        latest = case.events.select_related("by").first()
        who = latest.by.full_name if latest and latest.by else "someone else"
        what = latest.what if latest else "a change"
        raise Conflict(
            f"While you were looking at this case, {who} made a change ({what}). "
            "Nothing you entered was saved: check the case as it is now and try again."
        )
    return case


def save_versioned(case: Case, *fields: str) -> None:
    """Save the named fields with a new version, so a page drawn before this write is refused by `lock`."""
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def share_status_with_referrers(case: Case) -> None:
    """Referrers see only a limited status: received, under assessment, or closed."""
    from referrals.models import Referral

    if case.status == Case.Status.NEW:
        status = Referral.Status.RECEIVED
    elif case.status == Case.Status.CLOSED:
        status = Referral.Status.CLOSED
    else:
        status = Referral.Status.UNDER_ASSESSMENT
    case.referrals.exclude(status=status).update(status=status)


def move_case(case: Case, *, by: User, action: str) -> Case:
    """Make one move from the transition table on a locked case: check, save, chronology, audit, notice.

    Closing (any move whose target is CLOSED) also ends provider access and schedules the reviews.
    """
    transition = TRANSITIONS_BY_ACTION[action]
    if case.status not in transition.source:
        raise ValidationError(
            f"This case is '{case.get_status_display()}', so you cannot {transition.label.lower()} now."
        )
    if not permissions.can_move(by, case, action):
        raise PermissionDenied
    before = case.status
    case.status = transition.target
    fields = ["status"]
    if transition.target == Case.Status.CLOSED:
        case.closed_at = timezone.now()
        fields.append("closed_at")
    save_versioned(case, *fields)
    if transition.target == Case.Status.CLOSED:
        end_provider_access(case, by=by, why="case closed")
        schedule_reviews(case)
    share_status_with_referrers(case)
    add_event(case, by, f"{transition.label}: now {case.get_status_display().lower()}")
    record(by=by, action="case.moved", target=case, move=action, before=before, after=case.status)
    if transition.target in (Case.Status.AWAITING_SIGN_OFF, Case.Status.CLOSURE_PENDING):
        notices.sign_off_requested(case, by=by)
    return case


def revoke_grant(grant: ProviderGrant, *, by: User, why: str) -> None:
    """End one provider grant at once: its object permission goes with the last live grant; audited, told."""
    grant.revoked_by, grant.revoked_at = by, timezone.now()
    grant.save(update_fields=["revoked_by", "revoked_at"])
    if not grant.case.grants.filter(provider=grant.provider, revoked_at__isnull=True).exists():
        remove_perm(PROVIDER_PERMISSION, grant.provider, grant.case)
    add_event(grant.case, by, f"{grant.provider.full_name}'s access ended ({why})")
    record(
        by=by, action="case.provider_access_revoked", target=grant.case, recipient_user_id=grant.provider_id, why=why
    )
    notices.provider_revoked(grant, by=by)


def end_provider_access(case: Case, *, by: User, why: str) -> None:
    """End every live provider grant on the case (closure, withdrawn consent)."""
    for grant in case.grants.filter(revoked_at__isnull=True).select_related("provider", "case"):
        revoke_grant(grant, by=by, why=why)


def schedule_reviews(case: Case) -> None:
    """After closure, reviews fall due at 6 and 12 months (REVIEW_MONTHS)."""
    closed = timezone.localdate(case.closed_at or timezone.now())
    for months in settings.REVIEW_MONTHS:
        Review.objects.get_or_create(
            case=case, months=months, defaults={"due_on": closed + relativedelta(months=months)}
        )
    set_next_review(case)


def set_next_review(case: Case) -> None:
    """Set the case's review_due to its earliest review not yet done (none: no date)."""
    upcoming = case.reviews.filter(done_at__isnull=True).order_by("due_on").first()
    case.review_due = upcoming.due_on if upcoming else None
    case.save(update_fields=["review_due"])
