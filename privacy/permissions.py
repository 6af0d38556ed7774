def can_request_erasure(user) -> bool:
    """Return whether this user may ask for a record to be erased: the Prevent team."""
    return bool(user and user.is_active and user.has_perm("cases.work_cases"))


def can_approve_erasure(user) -> bool:
    """Return whether this user may approve an erasure (someone else must have asked): supervisors."""
    return bool(user and user.is_active and user.has_perm("cases.supervise_cases"))


def can_view_tombstones(user) -> bool:
    """Return whether this user may see tombstones and download deletion certificates: supervisors."""
    return bool(user and user.is_active and user.has_perm("privacy.view_tombstones"))
