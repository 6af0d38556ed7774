"""Every read of users and organisations starts here."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions
from accounts.models import AccountChangeRequest, BackupCode, Organisation, User
from core.models import ClosureDay


def visible_users(user) -> QuerySet[User]:
    """Return the accounts this user may manage: all of them for administrators, none otherwise."""
    if not permissions.can_manage_accounts(user):
        return User.objects.none()
    return User.objects.select_related("organisation").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    """Return the organisations this user may manage: all of them for administrators, none otherwise."""
    if not permissions.can_manage_accounts(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def visible_closure_days(user) -> QuerySet[ClosureDay]:
    """Return the closure days added in the service, for administrators; none for anyone else."""
    if not permissions.can_manage_closure_days(user):
        return ClosureDay.objects.none()
    return ClosureDay.objects.order_by("day")


def backup_codes_left(user) -> int:
    """Return how many of their backup codes the user has not used yet."""
    return BackupCode.objects.filter(device__user=user).count()


def visible_change_requests(user) -> QuerySet[AccountChangeRequest]:
    """Return the account changes this user may see: all for administrators and supervisors, none otherwise."""
    if not permissions.can_see_account_changes(user):
        return AccountChangeRequest.objects.none()
    return AccountChangeRequest.objects.select_related("subject__organisation", "requested_by", "decided_by")


def waiting_change_requests(user) -> QuerySet[AccountChangeRequest]:
    """Return the changes waiting for a supervisor's approval, the oldest request first."""
    waiting = AccountChangeRequest.Status.REQUESTED
    return visible_change_requests(user).filter(status=waiting).order_by("requested_at", "id")


def decided_change_requests(user) -> QuerySet[AccountChangeRequest]:
    """Return the changes approved, refused or cancelled, the latest decision first."""
    waiting = AccountChangeRequest.Status.REQUESTED
    return visible_change_requests(user).exclude(status=waiting).order_by("-decided_at", "-id")


def changes_waiting_for(user, subject: User) -> list[AccountChangeRequest]:
    """Return the changes to one account still waiting for approval, oldest first (for its administrators' page)."""
    return list(waiting_change_requests(user).filter(subject=subject))


def sign_in_facts(subject: User) -> dict:
    """Return what an approver checks about how an account signs in: password set, authenticator app, last sign-in."""
    return {
        "has_password": subject.has_usable_password(),
        "has_app": TOTPDevice.objects.filter(user=subject, confirmed=True).exists(),
        "last_login": subject.last_login,
    }
