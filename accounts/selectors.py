"""Every read of users and organisations starts here."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from accounts import permissions
from accounts.models import BackupCode, Organisation, User


def visible_users(user) -> QuerySet[User]:
    """Return the accounts this user may manage: all of them for administrators, none otherwise."""
    if not permissions.can_manage_accounts(user):
        raise PermissionDenied
    return User.objects.select_related("organisation").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    """Return the organisations this user may manage: all of them for administrators, none otherwise."""
    if not permissions.can_manage_accounts(user):
        raise PermissionDenied
    return Organisation.objects.all()


def backup_codes_left(user) -> int:
    """Return how many of their backup codes the user has not used yet."""
    return BackupCode.objects.filter(device__user=user).count()
