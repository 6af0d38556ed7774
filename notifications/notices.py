"""What each event tells whom. Called by the service that makes the event, inside its transaction.

Every notice names a kind, a service reference (random: PR-, PC-) and a path inside the service; never
a person's details. Security notices about a user's own account are always e-mailed at once.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications import outbox
from notifications.models import Notification
from notifications.services import account_change_approvers, notify, supervisors

K = Notification.Kind


def case_assigned(case, *, to, by) -> None:
    """Tell an officer a case is now theirs (not when they took it themselves)."""
    if to.pk != by.pk:
        notify([to], kind=K.CASE_ASSIGNED, reference=case.reference, link=reverse("cases:detail", args=[case.pk]))


def sign_off_requested(case, *, by) -> None:
    """Tell the supervisors (other than the one asking) that a decision or closure awaits their sign-off."""
    link = reverse("cases:detail", args=[case.pk])
    notify(supervisors(exclude=by), kind=K.SIGN_OFF_REQUESTED, reference=case.reference, link=link)


def feedback_shared(referral) -> None:
    """Tell the referrer the officer has shared an update on their referral."""
    link = reverse("referrals:detail", args=[referral.pk])
    notify([referral.author], kind=K.REFERRAL_FEEDBACK, reference=referral.reference, link=link)


def provider_granted(grant) -> None:
    """Tell a support provider a case was shared with them."""
    link = reverse("cases:provided_case", args=[grant.case_id])
    notify([grant.provider], kind=K.PROVIDER_ACCESS_GRANTED, reference=grant.case.reference, link=link)


def provider_revoked(grant, *, by) -> None:
    """Tell a support provider their access to a case ended (not when they handed it back themselves)."""
    if grant.provider_id != getattr(by, "pk", None):
        link = reverse("cases:provided")
        notify([grant.provider], kind=K.PROVIDER_ACCESS_REVOKED, reference=grant.case.reference, link=link)


def listed_for_panel(item) -> None:
    """Tell a panel meeting's members that a case is on its agenda (once per case and meeting)."""
    meeting = item.meeting
    notify(
        list(meeting.members.all()),
        kind=K.PANEL_AGENDA,
        reference=item.case.reference,
        link=reverse("cases:meeting", args=[meeting.pk]),
        key=f"panel:{meeting.pk}:{item.case_id}",
    )


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
