"""What a user may do with accounts. Reads nothing but the user; writes nothing."""


def can_manage_accounts(user) -> bool:
    """Administrators manage users and organisations (and never read case content)."""
    return user.is_authenticated and user.is_active and user.has_perm("accounts.manage_accounts")
