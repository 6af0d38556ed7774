"""What rights events tell whom (see notifications: `notify`): a kind, a reference and a link only."""

from notifications.models import Notification
from notifications.services import notify


def record_rectified(case, users, *, link: str) -> None:
    """Tell those a case's data was disclosed to that it was corrected (each at the page they know it by)."""
    notify(users, kind=Notification.Kind.RECORD_RECTIFIED, reference=case.reference, link=link)
