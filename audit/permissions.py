"""Who may read the audit trail. Each "may this user act on this object?" pairs with a selector."""


def can_review_audit(user) -> bool:
    """Supervisors search the trail, see a case's access history and a user's activity, and review alerts."""
    return user.is_authenticated and user.has_perm("audit.review_audit")
