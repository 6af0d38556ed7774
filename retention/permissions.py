"""Who may do what with retention. Reads nothing but the user and the record; writes nothing."""


def can_review_retention(user) -> bool:
    """Supervisors review records due for retention, keep or erase them, and set legal holds."""
    return user.is_authenticated and user.has_perm("retention.review_retention")


def can_manage_rules(user) -> bool:
    """Supervisors and administrators change retention periods (administrators never see the records)."""
    return user.is_authenticated and user.has_perm("retention.manage_retention_rules")


def can_decide_erasure(user, review=None) -> bool:
    """A second supervisor approves or refuses an erasure: never the one who asked for it."""
    return can_review_retention(user) and (review is None or review.requested_by_id != user.pk)
