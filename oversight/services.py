"""Every write of the supervisors' screens: marking an alert reviewed (audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Alert
from audit.services import record
from oversight.permissions import can_review_alert


@transaction.atomic
def review_alert(alert: Alert, *, by: User, note: str) -> Alert:
    """Mark an alert reviewed with a note; another supervisor than the user it is about, and only once."""
    if not can_review_alert(by, alert):
        raise PermissionDenied
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.reviewed_at is not None:
        reviewer = alert.reviewed_by.full_name if alert.reviewed_by else "Another supervisor"
        raise ValidationError(
            f"{reviewer} already reviewed this alert at {timezone.localtime(alert.reviewed_at):%H:%M on %-d %B %Y}."
        )
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Enter a note about what you found"})
    alert.reviewed_at = timezone.now()
    alert.reviewed_by = by
    alert.review_note = note
    alert.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    # The note is free text, kept on the alert; the event keeps to ids and codes.
    record(by=by, action="alert.reviewed", target=alert, rule=alert.rule, about_user_id=alert.user_id)
    return alert
