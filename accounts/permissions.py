"""What a user may do with accounts. Reads nothing but the user; writes nothing."""


def can_manage_accounts(user) -> bool:
    """Administrators manage users and organisations (and never read case content)."""
    return user.is_authenticated and user.is_active and user.has_perm("accounts.manage_accounts")


def can_use_optional_mfa(user) -> bool:
    """Anyone may add two-factor sign-in; for some roles it is mandatory from the first sign-in."""
    return user.is_authenticated
