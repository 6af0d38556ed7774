"""Changes to police accounts that need two people: an administrator asks, a supervisor approves or refuses.

Giving a privileged role (Prevent officer, supervisor, system administrator), and changing the e-mail address of,
or resetting two-factor sign-in on, a police account would each let one administrator take over an account that
reads case content (or manages every account). So `accounts.services` opens a request instead of making the
change; a supervisor who is neither the one who asked nor the account's holder decides it (the database refuses
it too); approving applies the change through the same code as a direct change, audited, in the same
transaction. The request row is locked while it is decided: of two approvals at once, the second finds it
decided and changes nothing. The same shape as the erasure approval in `retention.services`.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import notices, permissions, writes
from accounts.models import AccountChangeRequest, User
from audit.services import record
from core.notes import REASON_MAX_LENGTH, bounded

K, S = AccountChangeRequest.Kind, AccountChangeRequest.Status
# The field of the administrators' form each kind of request comes from, for messages next to it.
FIELD = {K.GRANT_ROLES: "roles", K.CHANGE_EMAIL: "email", K.RESET_MFA: NON_FIELD_ERRORS}


def _text(text: str, *, field: str = "reason", required: str = "") -> str:
    return bounded(text, field=field, limit=REASON_MAX_LENGTH, what=f"The {field}", required_message=required)


def email_taken(email: str, user: User) -> bool:
    """Return whether another account already signs in with this address."""
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


@transaction.atomic
def open_request(
    subject: User, *, kind: str, by: User, reason: str, roles=(), new_email: str = ""
) -> AccountChangeRequest:
    """Ask for a change to someone else's account; the supervisors who may approve it are told. Administrators only.

    The same request again (already waiting) is returned as it is; a different one of the same kind is refused.
    """
    if by is None or not permissions.can_manage_accounts(by):
        raise PermissionDenied
    if by.pk == subject.pk:
        raise ValidationError("You cannot ask for changes to your own account: another administrator must.")
    # One request of a kind per account: openings for the same account take turns.
    User.objects.select_for_update().filter(pk=subject.pk).first()
    roles, new_email = sorted(set(roles)), new_email.strip().lower()
    waiting = AccountChangeRequest.objects.filter(subject=subject, kind=kind, status=S.REQUESTED).first()
    if waiting is not None:
        if (waiting.roles, waiting.new_email) == (roles, new_email):
            return waiting
        raise ValidationError(
            {
                FIELD[kind]: f"A request to {waiting.summary.lower()} of this account is already waiting for "
                f"approval ({waiting.reference}): cancel it first to ask for something else"
            }
        )
    reason = _text(reason, required="Say why this is needed: a supervisor reads it before approving")
    if kind == K.CHANGE_EMAIL and email_taken(new_email, subject):
        raise ValidationError({"email": "A user with this email address already exists"})
    change = AccountChangeRequest.objects.create(
        subject=subject,
        kind=kind,
        roles=roles,
        new_email=new_email,
        reason=reason,
        requested_by=by,
        requested_at=timezone.now(),
    )
    record(by=by, action="account_change.requested", target=change, kind=kind, subject_id=subject.pk, roles=roles)
    notices.account_change_requested(change)
    return change


def _already_decided(change: AccountChangeRequest) -> str:
    who = change.decided_by.full_name if change.decided_by_id else "someone"
    when = timezone.localtime(change.decided_at)
    return (
        f"This request was {change.get_status_display().lower()} by {who} at {when:%H:%M on %-d %B %Y} "
        "while you were looking at it. Nothing you entered was saved."
    )


def _locked_open(change: AccountChangeRequest) -> AccountChangeRequest:
    """Lock the request; refuse unless it is still waiting (someone may have decided it meanwhile)."""
    change = AccountChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != S.REQUESTED:
        raise ValidationError(_already_decided(change))
    return change


def _locked_for_decision(change: AccountChangeRequest, *, by: User) -> AccountChangeRequest:
    if not permissions.can_approve_account_changes(by):
        raise PermissionDenied
    change = _locked_open(change)
    if change.requested_by_id == by.pk:
        raise ValidationError("You asked for this change: another supervisor must approve or refuse it.")
    if change.subject_id == by.pk:
        raise ValidationError("This change is to your own account: another supervisor must approve or refuse it.")
    return change


def _decide(change: AccountChangeRequest, *, by: User, status: str, note: str) -> None:
    change.status, change.decided_by, change.decided_at, change.decision_note = status, by, timezone.now(), note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _record_decision(
    change: AccountChangeRequest, *, by: User, status: str, note: str, action: str
) -> AccountChangeRequest:
    """Mark the (locked) request decided, audit it, and tell the one who asked."""
    _decide(change, by=by, status=status, note=note)
    record(
        by=by,
        action=action,
        target=change,
        kind=change.kind,
        subject_id=change.subject_id,
        requested_by_id=change.requested_by_id,
    )
    notices.account_change_decided(change)
    return change


def _apply(change: AccountChangeRequest, *, by: User) -> None:
    """Make the change asked for, through the code a direct change uses; refuse it if it no longer fits."""
    subject = User.objects.select_for_update().select_related("organisation").get(pk=change.subject_id)
    applied = {"request_id": change.pk, "requested_by_id": change.requested_by_id}
    if change.kind == K.GRANT_ROLES:
        if any(role not in subject.organisation.allowed_roles for role in change.roles):
            raise ValidationError(
                "The account's organisation no longer allows these roles: refuse the request instead."
            )
        writes.add_roles(subject, change.roles, by=by, **applied)
    elif change.kind == K.CHANGE_EMAIL:
        if email_taken(change.new_email, subject):
            raise ValidationError("Another account now uses this e-mail address: refuse the request instead.")
        writes.change_email(subject, change.new_email, by=by, **applied)
    else:
        writes.reset_devices(subject, by=by, **applied)


@transaction.atomic
def approve(change: AccountChangeRequest, *, by: User, note: str = "") -> AccountChangeRequest:
    """A second person approves: the change applies now, audited in this transaction; the one who asked is told."""
    note = _text(note, field="note")
    change = _locked_for_decision(change, by=by)
    _apply(change, by=by)
    return _record_decision(change, by=by, status=S.APPROVED, note=note, action="account_change.approved")


@transaction.atomic
def refuse(change: AccountChangeRequest, *, by: User, note: str) -> AccountChangeRequest:
    """A second person refuses, saying why: nothing changes; the one who asked is told."""
    note = _text(note, field="note", required="Say why you refuse the change")
    change = _locked_for_decision(change, by=by)
    return _record_decision(change, by=by, status=S.REFUSED, note=note, action="account_change.refused")


@transaction.atomic
def cancel(change: AccountChangeRequest, *, by: User) -> AccountChangeRequest:
    """Withdraw a request still waiting (asked in error, or to ask for something else); administrators only."""
    if not permissions.can_manage_accounts(by):
        raise PermissionDenied
    change = _locked_open(change)
    _decide(change, by=by, status=S.CANCELLED, note="")
    record(by=by, action="account_change.cancelled", target=change, kind=change.kind, subject_id=change.subject_id)
    return change
