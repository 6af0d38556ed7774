"""What referral events tell whom (see notifications: `notify`): a kind, a reference and a link only."""

from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify, prevent_team

K = Notification.Kind


def feedback_shared(referral) -> None:
    """Tell the referrer the officer has shared an update on their referral."""
    link = reverse("referrals:detail", args=[referral.pk])
    notify([referral.author], kind=K.REFERRAL_FEEDBACK, reference=referral.reference, link=link)


def referral_submitted(referral, *, by: User) -> None:
    """Tell the Prevent team a referral arrived, and its referrer that it was received (not police entering it)."""
    link = reverse("referrals:detail", args=[referral.pk])
    notify(prevent_team(), kind=K.REFERRAL_SUBMITTED, reference=referral.reference, link=link)
    if not referral.entered_by_police:
        notify([by], kind=K.REFERRAL_RECEIVED, reference=referral.reference, link=link)


def _advice_link(request) -> str:
    return reverse("referrals:advice_detail", args=[request.pk])


def advice_requested(request) -> None:
    """Tell the Prevent team a partner asked for advice."""
    notify(prevent_team(), kind=K.ADVICE_REQUESTED, reference=request.reference, link=_advice_link(request))


def advice_replied(request, recipients) -> None:
    """Tell the other side of an advice conversation that a reply is waiting."""
    notify(recipients, kind=K.ADVICE_REPLIED, reference=request.reference, link=_advice_link(request))
