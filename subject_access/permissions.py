"""Who may handle subject access requests. Each "may this user act on this request?" pairs with a selector."""


def can_handle_subject_access(user) -> bool:
    """Supervisors find what is held about a person, withhold under an exemption, generate and release it."""
    return user.is_authenticated and user.has_perm("subject_access.handle_subject_access")
