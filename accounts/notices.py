"""What account events tell whom. Security notices about a user's own account are always e-mailed at once.

Called by the account services inside their transaction (and `locked_out` by django-axes' signal,
connected in accounts.apps). A notice names a kind and a link, never a person's details.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications import outbox
from notifications.models import Notification
from notifications.services import account_change_approvers, notify

K = Notification.Kind


def device_enrolled(user) -> None:
    """Tell the user a new authenticator app was set up on their account."""
    notify([user], kind=K.MFA_DEVICE_ENROLLED, reference="", link=reverse("accounts:security"))


def password_changed(user) -> None:
    """Tell the user their password was changed."""
    notify([user], kind=K.PASSWORD_CHANGED, reference="", link=reverse("accounts:security"))


def email_changed(user, *, old_address: str) -> None:
    """Tell the user the e-mail address on their account changed: in the service, and at the old address too.

    The old address is told only that it changed, never the new address: that mailbox may no longer be the user's.
    """
    link = reverse("accounts:security")
    notify([user], kind=K.EMAIL_CHANGED, reference="", link=link)
    if old_address and old_address != user.email:
        outbox.queue_email_to_address(user, old_address, kind=K.EMAIL_CHANGED, reference="", link=link)


def mfa_reset(user) -> None:
    """Tell the user their two-factor sign-in was reset (they set it up again at their next sign-in)."""
    notify([user], kind=K.MFA_RESET, reference="", link=reverse("accounts:security"))


def account_change_requested(change) -> None:
    """Tell the supervisors who may approve a change to an account (not who asked, nor its holder) that it waits."""
    notify(
        account_change_approvers(exclude=[change.requested_by_id, change.subject_id]),
        kind=K.ACCOUNT_CHANGE_REQUESTED,
        reference=change.reference,
        link=reverse("accounts:change_request", args=[change.pk]),
    )


def account_change_decided(change) -> None:
    """Tell the administrator who asked for a change to an account that a supervisor approved or refused it."""
    approved = change.status == change.Status.APPROVED
    notify(
        [change.requested_by],
        kind=K.ACCOUNT_CHANGE_APPROVED if approved else K.ACCOUNT_CHANGE_REFUSED,
        reference=change.reference,
        link=reverse("accounts:change_request", args=[change.pk]),
    )


def locked_out(sender, request=None, username=None, **kwargs) -> None:
    """Tell the owner of a locked account, once per lockout period (django-axes signals every refused try)."""
    user = User.objects.filter(email__iexact=(username or "").strip(), is_active=True).first()
    if user is None:
        return
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if Notification.objects.filter(recipient=user, kind=K.ACCOUNT_LOCKED, created_at__gte=since).exists():
        return
    notify([user], kind=K.ACCOUNT_LOCKED, reference="", link=reverse("accounts:sign_in"))
