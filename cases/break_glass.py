"""Break-glass: an officer opens a case outside their caseload by giving a reason; a supervisor reviews it.

The grant lets the officer read the case for `BREAK_GLASS_MINUTES`; it never lets them act as its officer.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases import permissions
from cases.models import BreakGlass, Case
from core import notes

# Short: a supervisor reads every one in the review queue.
REASON_MAX_LENGTH = 1000
REASON_WHAT = "Your explanation"
# A supervisor's verdict is a reason like any other.
NOTE_MAX_LENGTH = notes.REASON_MAX_LENGTH


def minutes() -> int:
    """How long a grant lasts (at least a minute, whatever the setting says)."""
    return max(int(settings.BREAK_GLASS_MINUTES), 1)


@transaction.atomic
def open_with_reason(case: Case, *, by: User, reason_code: str, reason: str) -> BreakGlass:
    """Let an officer read a case outside their caseload for a limited time; the reason chosen goes to the audit log."""
    if not permissions.can_break_glass(by, case):
        raise PermissionDenied
    reason = reason.strip()
    errors = {}
    if reason_code not in BreakGlass.Reason.values:
        errors["reason_code"] = "Select why you need to open this case"
    if not reason:
        errors["reason"] = "Explain why you need to open this case"
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = notes.too_long(REASON_WHAT, REASON_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    grant = BreakGlass.objects.create(
        case=case,
        user=by,
        reason_code=reason_code,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=minutes()),
    )
    # The audit trail keeps the reason chosen, never the officer's words: they may name the person, and the trail
    # outlives an erased case. Supervisors read the words on the grant, which goes with the case.
    record(
        by=by,
        action="case.break_glass",
        target=case,
        reason=grant.get_reason_code_display(),
        reason_code=reason_code,
        break_glass_id=grant.pk,
        expires_at=grant.expires_at.isoformat(),
    )
    return grant


@transaction.atomic
def review_access(grant: BreakGlass, *, by: User, verdict: str, note: str = "") -> BreakGlass:
    """Record a supervisor's verdict on someone else's break-glass access; "not appropriate" needs a note."""
    grant = BreakGlass.objects.select_for_update().get(pk=grant.pk)
    if not permissions.can_review_break_glass(by, grant):
        raise PermissionDenied
    if grant.reviewed_at is not None:
        reviewer = grant.reviewed_by.full_name if grant.reviewed_by else "Another supervisor"
        raise ValidationError(
            f"{reviewer} already reviewed this access on {timezone.localtime(grant.reviewed_at):%-d %B %Y at %H:%M}. "
            "Nothing you entered was saved."
        )
    note = note.strip()
    errors = {}
    if verdict not in BreakGlass.Verdict.values:
        errors["verdict"] = "Select whether the access was appropriate"
    elif verdict == BreakGlass.Verdict.INAPPROPRIATE and not note:
        errors["note"] = "Explain why the access was not appropriate"
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = notes.too_long("The note", NOTE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    grant.verdict, grant.review_note = verdict, note
    grant.reviewed_by, grant.reviewed_at = by, timezone.now()
    grant.save(update_fields=["verdict", "review_note", "reviewed_by", "reviewed_at"])
    record(
        by=by,
        action="break_glass.reviewed",
        target=grant,
        verdict=verdict,
        reviewed_user_id=grant.user_id,
        reason_code=grant.reason_code,
    )
    return grant
