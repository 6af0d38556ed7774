from django.db import transaction

from accounts.models import User
from notifications.models import Notification


@transaction.atomic
def notify(recipients, *, kind: str, reference: str, link: str) -> int:
    """Leave an in-app notification for each recipient, in the caller's transaction."""
    rows = [Notification(recipient=user, kind=kind, reference=reference, link=link) for user in recipients]
    Notification.objects.bulk_create(rows)
    return len(rows)


def prevent_team() -> "list[User]":
    """Return the active users who receive new referrals and advice requests."""
    return list(
        User.objects.filter(
            is_active=True, organisation__is_active=True, groups__permissions__codename="receive_referrals"
        )
        .distinct()
        .only("pk")
    )
