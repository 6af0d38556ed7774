import uuid
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.crypto import salted_hmac
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class Role(models.TextChoices):
    """The roles of DOMAIN.md. Each is a Django Group of the same name, holding its permissions."""

    REFERRER = "referrer", "Referrer"
    PREVENT_OFFICER = "prevent_officer", "Prevent officer"
    SUPERVISOR = "supervisor", "Supervisor"
    SUPPORT_PROVIDER = "support_provider", "Support provider"
    PANEL_MEMBER = "panel_member", "Channel panel member"
    SYSTEM_ADMIN = "system_admin", "System administrator"


POLICE_ROLES = frozenset({Role.PREVENT_OFFICER, Role.SUPERVISOR})


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE_PREVENT = "police_prevent", "Police Prevent team"
        PARTNER = "partner", "Partner agency"
        SUPPORT_PROVIDER = "support_provider", "Support provider"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    class Sector(models.TextChoices):
        EDUCATION = "education", "Education"
        HEALTH = "health", "Health"
        LOCAL_AUTHORITY = "local_authority", "Local Authority"
        POLICE = "police", "Police"
        PRISON_PROBATION = "prison_probation", "Prison/Probation"
        COMMUNITY = "community", "Community"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def allowed_roles(self) -> list[str]:
        """Return the roles a member may hold: police roles stay inside the police."""
        if self.kind == self.Kind.POLICE_PREVENT:
            return [Role.PREVENT_OFFICER, Role.SUPERVISOR, Role.PANEL_MEMBER, Role.SYSTEM_ADMIN]
        return [Role.REFERRER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Signs in with e-mail; belongs to one organisation; has roles as groups."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    is_active = models.BooleanField(default=True)
    # Changing this ends every session of the user ("sign out everywhere", deactivation, MFA reset).
    security_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        permissions = [("manage_accounts", "Manage users and organisations")]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_staff(self):
        # No Django admin site is mounted: nobody is staff.
        return False

    @cached_property
    def access(self) -> tuple[list[str], set[str]]:
        """Return (role codes, "app.codename" permissions) from one query; every check reads this."""
        rows = self.groups.values_list("name", "permissions__content_type__app_label", "permissions__codename")
        roles = sorted({name for name, _, _ in rows})
        return roles, {f"{app}.{codename}" for _, app, codename in rows if codename}

    @property
    def role_names(self) -> list[str]:
        """Return this user's role codes, in a stable order (from prefetched groups in lists)."""
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted(group.name for group in self.groups.all())
        return self.access[0]

    def has_role(self, *roles: str) -> bool:
        return any(role in self.role_names for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [Role(name).label for name in self.role_names if name in Role.values]

    @property
    def requires_mfa(self) -> bool:
        return self.has_role(*settings.MFA_REQUIRED_ROLES)

    def _get_session_auth_hash(self, secret=None):
        """Bind sessions to the password and the security stamp, so either change ends them all."""
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def backup_code_digests(user_id: int, code: str) -> list[str]:
    """Return the keyed hashes a typed backup code may be stored under (the current key first, then fallbacks).

    Codes are random (40 bits), so a keyed HMAC is enough and costs one hash per key: a leaked table gives
    nothing to guess against without the key, unlike the TOTP keys beside it, which must be kept in clear.
    The user's id is in the hash, so the same code of two users never shares a digest.
    """
    code = "".join(code.split()).lower()
    return [
        salted_hmac("accounts.BackupCode", f"{user_id}:{code}", secret=secret, algorithm="sha256").hexdigest()
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's backup codes as one django-otp device: each code works once, and only its keyed hash is stored.

    django-otp's machinery still applies: throttling after failures, `otp_device` on the session, `is_verified`.
    """

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(digest__in=backup_code_digests(self.user_id, str(token))).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class BackupCode(models.Model):
    """One unused backup code, as its keyed hash (`backup_code_digests`); deleted when used."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="backup_code_once_per_device")]

    def __str__(self):
        return "Backup code"  # never the digest
