"""Self-service password reset: a one-hour link by e-mail, then the second factor if the account has one.

Asking gives the same answer, and does the same work, whether or not an account has the address typed: one
lookup, one audit event, one task queued (the task makes the token and sends, or finds nobody). Only an
account that may sign in (active, in an active organisation) is sent a link. An account that has or needs a
second factor gives it before the new password is taken; one that needs it but has no device left is told
to ask its administrator (a mailbox alone must never be enough to take a police account). Audit events name
the account by id only: never the address typed, never the token.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts import auth, services, tasks, writes
from accounts.models import BackupCode, User
from accounts.tokens import reset_token_generator
from audit.services import record

# What the link opens on: the password form, the code first, or nothing (ask an administrator).
NEXT_PASSWORD, NEXT_CODE, NEXT_ADMINISTRATOR = "password", "code", "administrator"


def _may_sign_in() -> Q:
    return Q(is_active=True, organisation__is_active=True)


@transaction.atomic
def request_reset(email: str) -> None:
    """Send a reset link to the account with this address if it may sign in; the same work if there is none."""
    user = User.objects.filter(_may_sign_in(), email__iexact=email.strip()).first()
    record(by=None, action="auth.password_reset_requested", target=user)
    user_id = user.pk if user is not None else None
    transaction.on_commit(lambda: tasks.send_password_reset_link.delay(user_id=user_id))


def user_from_link(uidb64: str) -> User | None:
    """Return the account a link names, if it may still sign in."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    return User.objects.filter(_may_sign_in(), pk=pk).first()


def link_works(user: User | None, token: str) -> bool:
    """Is this token a live reset link of this account (unused, unexpired, made since the last stamp change)?"""
    return user is not None and reset_token_generator.check_token(user, token)


def has_factor(user: User) -> bool:
    """Can the user give a second factor: an authenticator app, or a backup code left?"""
    return auth.has_authenticator(user) or BackupCode.objects.filter(device__user=user).exists()


def next_step(user: User) -> str:
    """Say what the link asks for before a new password: nothing, a code, or an administrator's help."""
    if not auth.needs_second_factor(user):
        return NEXT_PASSWORD
    return NEXT_CODE if has_factor(user) else NEXT_ADMINISTRATOR


@transaction.atomic
def link_opened(user: User) -> str:
    """Audit a working link's opening and what it asks for next; return that step."""
    step = next_step(user)
    record(by=None, action="auth.password_reset_link_used", target=user, next_step=step)
    return step


@transaction.atomic
def reset_password(user: User, *, by: User, password: str, second_factor_given: bool) -> User:
    """Give the user the new password (validated by the form); every session of theirs ends and the link is spent.

    Refused without the second factor the account has or needs.
    """
    step = next_step(user)
    if step == NEXT_ADMINISTRATOR or (step == NEXT_CODE and not second_factor_given):
        raise PermissionDenied
    user = services.set_password(user, by=by, password=password, how="reset")
    return writes.new_security_stamp(user, by=by)
