"""Who may review alerts. Reading the trail at all is `audit.permissions.can_review_audit`."""

from audit.permissions import can_review_audit


def can_review_alert(user, alert) -> bool:
    """A reviewer reviews alerts about anyone but themselves, and none about a change they made or approved."""
    return (
        can_review_audit(user) and alert.user_id != user.pk and user.pk not in alert.details.get("changed_by_ids", [])
    )
