"""What retention events tell whom (see notifications: `notify`): a kind, a reference and a link only."""

from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


def erasure_approval_requested(review, recipients) -> None:
    """Tell the other reviewers that an erasure waits for a second person's approval."""
    notify(
        recipients,
        kind=Notification.Kind.ERASURE_APPROVAL_REQUESTED,
        reference=review.reference,
        link=reverse("retention:approval", args=[review.pk]),
    )
