"""The account writes that a direct change and an approved change request both make.

Each takes a user already locked by its caller's transaction and audits what it did; neither
`accounts.services` nor `accounts.changes` is imported here, so both can build on it.
"""

import uuid

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import notices
from accounts.models import BackupCodeDevice, User
from audit.services import record


def team_changed() -> None:
    """Lists of the team (the queue's officer and team filters) are cached briefly: refresh them now."""
    from django.core.cache import cache

    cache.delete_many(["cases:queue:officers", "cases:queue:teams"])


def change_email(user: User, email: str, *, by: User, **details) -> None:
    """Give the (locked) user a new e-mail address; the old address is told, never the new one."""
    old_address = user.email
    user.email = email
    user.save(update_fields=["email", "updated_at"])
    record(by=by, action="user.email_changed", target=user, **details)
    notices.email_changed(user, old_address=old_address)


def add_roles(user: User, roles, *, by: User, **details) -> None:
    """Add roles to the (locked) user, keeping the ones they hold."""
    before = user.role_names
    after = sorted(set(before) | set(roles))
    user.groups.set(Group.objects.filter(name__in=after))
    user.__dict__.pop("access", None)
    transaction.on_commit(team_changed)
    record(
        by=by,
        action="user.roles_granted",
        target=user,
        roles=sorted(roles),
        roles_before=before,
        roles_after=after,
        **details,
    )


def new_security_stamp(user: User, *, by: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.security_stamp = uuid.uuid4()
    user.save(update_fields=["security_stamp", "updated_at"])
    record(by=by, action="auth.signed_out_everywhere", target=user)
    return user


def reset_devices(user: User, *, by: User, **details) -> None:
    """Remove the user's two-factor devices and end their sessions; the user is told."""
    TOTPDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()
    new_security_stamp(user, by=by)
    record(by=by, action="mfa.reset", target=user, **details)
    notices.mfa_reset(user)
