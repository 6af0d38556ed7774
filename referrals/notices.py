"""What referral events tell whom (see notifications: `notify`): a kind, a reference and a link only."""

from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify

K = Notification.Kind


def feedback_shared(referral) -> None:
    """Tell the referrer the officer has shared an update on their referral."""
    link = reverse("referrals:detail", args=[referral.pk])
    notify([referral.author], kind=K.REFERRAL_FEEDBACK, reference=referral.reference, link=link)
