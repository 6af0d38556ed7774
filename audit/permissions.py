"""Who may read the audit trail. Each "may this user act on this object?" pairs with a selector."""


def can_review_audit(user) -> bool:
    """Supervisors search the trail, see a case's access history and a user's activity, and review alerts."""
    return user.is_authenticated and user.has_perm("audit.review_audit")


def can_review_alert(user, alert) -> bool:
    """A reviewer reviews alerts about anyone but themselves, and none about a change they made or approved."""
    return (
        can_review_audit(user) and alert.user_id != user.pk and user.pk not in alert.details.get("changed_by_ids", [])
    )
