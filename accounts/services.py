"""Every write to accounts and organisations: atomic, permission-checked, audited.

`by=None` means the system itself (a management command), never a web request.
"""

import secrets
import uuid

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions, tasks
from accounts.models import BackupCode, BackupCodeDevice, Organisation, User, backup_code_digests
from audit.services import record
from notifications import notices

BACKUP_CODE_COUNT = 10


def _team_changed() -> None:
    """Lists of the team (the queue's officer filter) are cached briefly: refresh them now."""
    from django.core.cache import cache

    cache.delete("cases:queue:officers")


def _require_account_manager(by):
    if by is not None and not permissions.can_manage_accounts(by):
        raise PermissionDenied


def _check_roles(organisation: Organisation, roles) -> list[str]:
    roles = sorted(set(roles))
    refused = [role for role in roles if role not in organisation.allowed_roles]
    if refused:
        raise ValidationError({"roles": "A member of this organisation cannot hold that role."})
    return roles


@transaction.atomic
def create_organisation(*, by, name: str, kind: str, sector: str) -> Organisation:
    """Add an organisation; administrators only."""
    _require_account_manager(by)
    organisation = Organisation.objects.create(name=name, kind=kind, sector=sector)
    record(by=by, action="organisation.created", target=organisation, kind=kind, sector=sector)
    return organisation


@transaction.atomic
def update_organisation(organisation: Organisation, *, by, **changes) -> Organisation:
    """Change an organisation's name, kind, sector or whether it is active; administrators only."""
    _require_account_manager(by)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = [field for field, value in changes.items() if getattr(organisation, field) != value]
    if not changed:
        return organisation
    for field in changed:
        setattr(organisation, field, changes[field])
    organisation.save(update_fields=[*changed, "updated_at"])
    record(by=by, action="organisation.updated", target=organisation, fields=changed)
    return organisation


@transaction.atomic
def create_user(
    *, by, email: str, full_name: str, organisation: Organisation, roles, password: str | None = None
) -> User:
    """Add a user with roles; they choose a password through a one-time link sent by e-mail."""
    _require_account_manager(by)
    roles = _check_roles(organisation, roles)
    user = User.objects.create_user(email=email, password=password, full_name=full_name, organisation=organisation)
    user.groups.set(Group.objects.filter(name__in=roles))
    record(by=by, action="user.created", target=user, roles=roles, organisation_id=organisation.pk)
    transaction.on_commit(_team_changed)
    if password is None:
        transaction.on_commit(lambda: tasks.send_set_password_link.delay(user_id=user.pk))
    return user


@transaction.atomic
def update_user(user: User, *, by, email, full_name, organisation, roles, is_active) -> User:
    """Change a user's details, roles or status; deactivating ends their sessions. Administrators only."""
    _require_account_manager(by)
    if by is not None and by.pk == user.pk and (not is_active or set(user.role_names) != set(roles)):
        raise ValidationError("You cannot change your own roles or deactivate your own account.")
    roles = _check_roles(organisation, roles)
    user = User.objects.select_for_update().get(pk=user.pk)
    before_roles = user.role_names
    changes = {"email": email.lower(), "full_name": full_name, "organisation": organisation, "is_active": is_active}
    changed = [field for field, value in changes.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, changes[field])
    if "is_active" in changed and not is_active:
        user.security_stamp = uuid.uuid4()
        changed.append("security_stamp")
    if changed:
        user.save(update_fields=[*changed, "updated_at"])
    if before_roles != roles:
        user.groups.set(Group.objects.filter(name__in=roles))
        user.__dict__.pop("access", None)
    if changed or before_roles != roles:
        transaction.on_commit(_team_changed)
        record(
            by=by,
            action="user.updated",
            target=user,
            fields=[field for field in changed if field != "security_stamp"],
            roles_before=before_roles,
            roles_after=roles,
        )
    return user


@transaction.atomic
def send_sign_in_link(user: User, *, by) -> None:
    """E-mail the user a fresh one-time link to set their password; administrators only."""
    _require_account_manager(by)
    record(by=by, action="user.set_password_link_sent", target=user)
    transaction.on_commit(lambda: tasks.send_set_password_link.delay(user_id=user.pk))


@transaction.atomic
def unlock_user(user: User, *, by) -> None:
    """Lift a sign-in lockout on the account; administrators only."""
    _require_account_manager(by)
    axes_reset(username=user.email)
    record(by=by, action="auth.unlocked", target=user)


@transaction.atomic
def end_all_sessions(user: User, *, by) -> User:
    """Sign the user out on every device by changing the stamp their sessions are bound to."""
    if by is not None and by.pk != user.pk:
        _require_account_manager(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.security_stamp = uuid.uuid4()
    user.save(update_fields=["security_stamp", "updated_at"])
    record(by=by, action="auth.signed_out_everywhere", target=user)
    return user


@transaction.atomic
def reset_mfa(user: User, *, by) -> None:
    """Remove a user's two-factor devices (a lost phone); they enrol again at next sign-in."""
    _require_account_manager(by)
    TOTPDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()
    end_all_sessions(user, by=by)
    record(by=by, action="mfa.reset", target=user)


ENROLMENT_DEVICE = "enrolment_device_id"


@transaction.atomic
def start_totp_enrolment(session, user: User, *, by) -> TOTPDevice:
    """Make a fresh key for this enrolment (never one shown before) and remember it in this session."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    session[ENROLMENT_DEVICE] = device.pk
    record(by=by, action="mfa.enrolment_started", target=user)
    return device


def enrolment_in_progress(session, user: User) -> TOTPDevice | None:
    """Return the unconfirmed key this session was shown, if it is still the user's latest."""
    return TOTPDevice.objects.filter(pk=session.get(ENROLMENT_DEVICE), user=user, confirmed=False).first()


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def confirm_totp_device(device: TOTPDevice, *, by, token: str) -> list[str]:
    """Confirm an authenticator with a code from it; return new backup codes. False code: ValidationError."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
        if device.verify_token(token):
            TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(by=by, action="mfa.device_enrolled", target=device.user, device="totp")
            notices.device_enrolled(device.user)
            return generate_backup_codes(device.user, by=by)
    record(by=by, action="mfa.enrolment_failed", target=device.user)
    raise ValidationError({"code": "The code is not right. Enter the 6 digits your app shows now."})


@transaction.atomic
def generate_backup_codes(user: User, *, by) -> list[str]:
    """Replace the user's backup codes with a new set; each works once. Only their keyed hashes are stored."""
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.codes.all().delete()
    codes = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(secrets.token_hex(5))
    codes = sorted(codes)
    BackupCode.objects.bulk_create(
        [BackupCode(device=device, digest=backup_code_digests(user.pk, code)[0]) for code in codes]
    )
    record(by=by, action="mfa.backup_codes_generated", target=user, count=len(codes))
    return codes


@transaction.atomic
def set_password(user: User, *, by, password: str, how: str) -> User:
    """Give the user a new password (already validated by the form); their other sessions end."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    record(by=by, action="auth.password_changed", target=user, how=how)
    notices.password_changed(user)
    return user
