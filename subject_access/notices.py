"""What subject access events tell whom (see notifications: `notify`): a kind, a reference and a link only."""

from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


def export_ready(request) -> None:
    """Tell the one who asked that the subject access export is ready to review."""
    notify(
        [request.requested_by],
        kind=Notification.Kind.SUBJECT_ACCESS_READY,
        reference=request.reference,
        link=reverse("subject_access:detail", args=[request.pk]),
    )
