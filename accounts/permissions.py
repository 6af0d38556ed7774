"""What a user may do with accounts. Reads nothing but the users and the request; writes nothing."""

from accounts.models import PRIVILEGED_ROLES, Organisation


def can_manage_accounts(user) -> bool:
    """Administrators manage users and organisations (and never read case content)."""
    return user.is_authenticated and user.is_active and user.has_perm("accounts.manage_accounts")


def can_manage_closure_days(user) -> bool:
    """Administrators keep the team's local closure days (they count in every working-day calculation)."""
    return can_manage_accounts(user)


def can_approve_account_changes(user) -> bool:
    """Supervisors approve or refuse the administrators' changes to police accounts."""
    return user.is_authenticated and user.is_active and user.has_perm("accounts.approve_account_changes")


def can_see_account_changes(user) -> bool:
    """Administrators (who ask) and supervisors (who decide) see the account changes waiting for approval."""
    return can_manage_accounts(user) or can_approve_account_changes(user)


def can_decide_account_change(user, change=None) -> bool:
    """A supervisor decides a change: never the one who asked for it, nor the holder of the account it changes."""
    return can_approve_account_changes(user) and (
        change is None or user.pk not in (change.requested_by_id, change.subject_id)
    )


def is_police_account(user) -> bool:
    """A police account: a member of a police Prevent team, or holding a privileged role wherever it is."""
    return user.organisation.kind == Organisation.Kind.POLICE_PREVENT or user.has_role(*PRIVILEGED_ROLES)


def can_keep_session_alive(user) -> bool:
    """Anyone signed in may ask how long their own session has left, and ask for more (within its limits)."""
    return user.is_authenticated and user.is_active
