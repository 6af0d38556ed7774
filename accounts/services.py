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

from accounts import changes, notices, permissions, tasks, writes
from accounts.models import (
    PRIVILEGED_ROLES,
    AccountChangeRequest,
    BackupCode,
    BackupCodeDevice,
    Organisation,
    Role,
    Team,
    User,
    backup_code_digests,
)
from audit.services import record

BACKUP_CODE_COUNT = 10


def _require_account_manager(by: User):
    if by is not None and not permissions.can_manage_accounts(by):
        raise PermissionDenied


def _check_roles(organisation: Organisation, roles) -> list[str]:
    roles = sorted(set(roles))
    refused = [role for role in roles if role not in organisation.allowed_roles]
    if refused:
        raise ValidationError({"roles": "A member of this organisation cannot hold that role."})
    return roles


@transaction.atomic
def create_organisation(*, by: User, name: str, kind: str, sector: str) -> Organisation:
    """Add an organisation; administrators only."""
    _require_account_manager(by)
    organisation = Organisation.objects.create(name=name, kind=kind, sector=sector)
    record(by=by, action="organisation.created", target=organisation, kind=kind, sector=sector)
    return organisation


@transaction.atomic
def create_team(*, by: User, name: str) -> Team:
    """Add a team of Prevent officers (by area, say); administrators only. Names are unique."""
    _require_account_manager(by)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the team's name"})
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A team with this name already exists"})
    team = Team.objects.create(name=name)
    record(by=by, action="team.created", target=team)
    transaction.on_commit(writes.team_changed)
    return team


@transaction.atomic
def set_team(user: User, *, team: Team | None, by: User) -> User:
    """Put an officer in a team (or in none); administrators only. Only Prevent officers and supervisors belong."""
    _require_account_manager(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if team is not None and not user.has_role(Role.PREVENT_OFFICER, Role.SUPERVISOR):
        raise ValidationError({"team": "Only Prevent officers and supervisors belong to a team"})
    before = user.team_id
    if before == getattr(team, "pk", None):
        return user
    user.team = team
    user.save(update_fields=["team", "updated_at"])
    record(by=by, action="user.team_changed", target=user, team_before=before, team_after=user.team_id)
    return user


@transaction.atomic
def update_organisation(organisation: Organisation, *, by: User, **changes) -> Organisation:
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
    *,
    by: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles,
    password: str | None = None,
    reason: str = "",
) -> User:
    """Add a user with roles; they choose a password through a one-time link sent by e-mail.

    A privileged role (police, administrator) given by an administrator is held back: the account is made without
    it, and a supervisor's approval adds it (see accounts.changes). The system (`by=None`) gives any role at once.
    """
    _require_account_manager(by)
    roles = _check_roles(organisation, roles)
    held = sorted(set(roles) & PRIVILEGED_ROLES) if by is not None else []
    given = [role for role in roles if role not in held]
    user = User.objects.create_user(email=email, password=password, full_name=full_name, organisation=organisation)
    user.groups.set(Group.objects.filter(name__in=given))
    record(by=by, action="user.created", target=user, roles=given, organisation_id=organisation.pk, held_roles=held)
    if held:
        changes.open_request(user, kind=AccountChangeRequest.Kind.GRANT_ROLES, by=by, reason=reason, roles=held)
    transaction.on_commit(writes.team_changed)
    if password is None:
        transaction.on_commit(lambda: tasks.send_set_password_link.delay(user_id=user.pk))
    return user


def _refuse_on_own_account(user: User, *, by: User, email: str, roles, is_active: bool) -> None:
    if by is None or by.pk != user.pk:
        return
    if not is_active or set(user.role_names) != set(roles):
        raise ValidationError("You cannot change your own roles or deactivate your own account.")
    if email != user.email:
        raise ValidationError(
            {"email": "You cannot change your own e-mail address: ask another administrator to do it."}
        )


@transaction.atomic
def update_user(user: User, *, by: User, email, full_name, organisation, roles, is_active, reason: str = "") -> User:
    """Change a user's details, roles or status; deactivating ends their sessions. Administrators only.

    A privileged role given, or a new e-mail address for a police account, waits for a supervisor's approval
    (an AccountChangeRequest, which `reason` explains); the rest applies at once. Nobody changes their own roles,
    status or e-mail address here.
    """
    _require_account_manager(by)
    email = email.lower()
    _refuse_on_own_account(user, by=by, email=email, roles=roles, is_active=is_active)
    roles = _check_roles(organisation, roles)
    user = User.objects.select_for_update().get(pk=user.pk)
    before_roles = user.role_names
    held_roles, new_email = [], ""
    if by is not None:
        held_roles = sorted((set(roles) - set(before_roles)) & PRIVILEGED_ROLES)
        roles = sorted(set(roles) - set(held_roles))
        police = permissions.is_police_account(user) or organisation.kind == Organisation.Kind.POLICE_PREVENT
        if email != user.email and police:
            new_email, email = email, user.email
    if email != user.email:
        writes.change_email(user, email, by=by)
    values = {"full_name": full_name, "organisation": organisation, "is_active": is_active}
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    if "is_active" in changed and not is_active:
        user.security_stamp = uuid.uuid4()
        changed.append("security_stamp")
    if changed:
        user.save(update_fields=[*changed, "updated_at"])
    if before_roles != roles:
        user.groups.set(Group.objects.filter(name__in=roles))
        user.__dict__.pop("access", None)
    if changed or before_roles != roles:
        transaction.on_commit(writes.team_changed)
        record(
            by=by,
            action="user.updated",
            target=user,
            fields=[field for field in changed if field != "security_stamp"],
            roles_before=before_roles,
            roles_after=roles,
        )
    if held_roles:
        changes.open_request(user, kind=AccountChangeRequest.Kind.GRANT_ROLES, by=by, reason=reason, roles=held_roles)
    if new_email:
        changes.open_request(
            user, kind=AccountChangeRequest.Kind.CHANGE_EMAIL, by=by, reason=reason, new_email=new_email
        )
    return user


def _refuse_own(user: User, *, by: User, message: str) -> None:
    if by is not None and by.pk == user.pk:
        raise ValidationError(message)


@transaction.atomic
def send_sign_in_link(user: User, *, by: User) -> None:
    """E-mail the user a fresh one-time link to set their password; administrators only, never to themselves."""
    _require_account_manager(by)
    _refuse_own(user, by=by, message="You cannot send yourself a sign-in link: change your password in Your account.")
    record(by=by, action="user.set_password_link_sent", target=user)
    transaction.on_commit(lambda: tasks.send_set_password_link.delay(user_id=user.pk))


@transaction.atomic
def unlock_user(user: User, *, by: User) -> None:
    """Lift a sign-in lockout on the account; administrators only."""
    _require_account_manager(by)
    axes_reset(username=user.email)
    record(by=by, action="auth.unlocked", target=user)


@transaction.atomic
def end_all_sessions(user: User, *, by: User) -> User:
    """Sign the user out on every device by changing the stamp their sessions are bound to."""
    if by is not None and by.pk != user.pk:
        _require_account_manager(by)
    return writes.new_security_stamp(user, by=by)


@transaction.atomic
def reset_mfa(user: User, *, by: User, reason: str = "") -> AccountChangeRequest | None:
    """Remove a user's two-factor devices (a lost phone); they enrol again at next sign-in.

    On a police account an administrator only asks: a supervisor's approval resets it, and the request is returned.
    Nobody resets their own here (they replace their app in Your account).
    """
    _require_account_manager(by)
    _refuse_own(
        user,
        by=by,
        message="You cannot reset your own two-factor sign-in: set up a new app in Your account, "
        "or ask another administrator.",
    )
    if by is not None and permissions.is_police_account(user):
        return changes.open_request(user, kind=AccountChangeRequest.Kind.RESET_MFA, by=by, reason=reason)
    writes.reset_devices(user, by=by)
    return None


ENROLMENT_DEVICE = "enrolment_device_id"


@transaction.atomic
def start_totp_enrolment(session, user: User, *, by: User) -> TOTPDevice:
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


def confirm_totp_device(device: TOTPDevice, *, by: User, token: str) -> list[str]:
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
def generate_backup_codes(user: User, *, by: User) -> list[str]:
    """Replace the user's backup codes with a new set; each works once. Only their keyed hashes are stored."""
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.codes.all().delete()
    unique: set[str] = set()
    while len(unique) < BACKUP_CODE_COUNT:
        unique.add(secrets.token_hex(5))
    codes = sorted(unique)
    BackupCode.objects.bulk_create(
        [BackupCode(device=device, digest=backup_code_digests(user.pk, code)[0]) for code in codes]
    )
    record(by=by, action="mfa.backup_codes_generated", target=user, count=len(codes))
    return codes


@transaction.atomic
def set_password(user: User, *, by: User, password: str, how: str) -> User:
    """Give the user a new password (already validated by the form); their other sessions end."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    record(by=by, action="auth.password_changed", target=user, how=how)
    notices.password_changed(user)
    return user
