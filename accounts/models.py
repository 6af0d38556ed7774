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
    # The Prevent Engagement Team (officers and police staff): events, offers of help, partner training.
    # Sees no casework unless the account also holds an officer's role.
    ENGAGEMENT_OFFICER = "engagement_officer", "Engagement officer"
    # A partner organisation's safeguarding (or Prevent) lead: manages their own organisation's training records.
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"


POLICE_ROLES = frozenset({Role.PREVENT_OFFICER, Role.SUPERVISOR})
# Roles an administrator may only give with a supervisor's approval: the police roles open case content, the
# engagement officer's opens the public's contact details, and the administrator's opens every account (see
# AccountChangeRequest).
PRIVILEGED_ROLES = POLICE_ROLES | {Role.ENGAGEMENT_OFFICER, Role.SYSTEM_ADMIN}


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE_PREVENT = "police_prevent", "Police Prevent team"
        PARTNER = "partner", "Partner agency"
        SUPPORT_PROVIDER = "support_provider", "Support provider"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        # Referrals recorded for members of the public (friends, family, neighbours): no accounts in it.
        PUBLIC = "public", "Members of the public"

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
            return [
                Role.PREVENT_OFFICER,
                Role.SUPERVISOR,
                Role.ENGAGEMENT_OFFICER,
                Role.PANEL_MEMBER,
                Role.SYSTEM_ADMIN,
            ]
        if self.kind == self.Kind.PUBLIC:
            return []
        return [Role.REFERRER, Role.SAFEGUARDING_LEAD, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER]


class Team(models.Model):
    """A group of Prevent officers (by area, say): the queue filters by it; teammates triage each other's new cases."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


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
    # Police officers only; set by administrators (audited, `accounts.services.set_team`).
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
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
        # One DELETE finds and spends the code: of two sign-ins racing with it, the second deletes nothing.
        spent, _ = self.codes.filter(digest__in=backup_code_digests(self.user_id, str(token))).delete()
        if not spent:
            self.throttle_increment()
            return False
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


class AccountChangeRequest(models.Model):
    """A change an administrator asked for that a supervisor must approve before it applies.

    Granting a privileged role, and changing the e-mail address of (or resetting two-factor sign-in on) a police
    account: each would let one administrator take over an account that reads case content. A supervisor who is
    neither the one who asked nor the account's holder approves (the change then applies) or refuses, with a note.
    At most one request of each kind waits per account.
    """

    class Kind(models.TextChoices):
        GRANT_ROLES = "grant_roles", "Give roles"
        CHANGE_EMAIL = "change_email", "Change the e-mail address"
        RESET_MFA = "reset_mfa", "Reset two-factor sign-in"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        CANCELLED = "cancelled", "Cancelled"

    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Role codes to add (GRANT_ROLES), and the new address (CHANGE_EMAIL); empty for other kinds.
    roles = models.JSONField(default=list, blank=True)
    new_email = models.EmailField(blank=True)
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        permissions = [("approve_account_changes", "Approve administrators' changes to police accounts")]
        indexes = [models.Index(fields=["status", "requested_at", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind"],
                condition=models.Q(status="requested"),
                name="account_change_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested", decided_by__isnull=True, decided_at__isnull=True)
                | (~models.Q(status="requested") & models.Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="account_change_decided_complete",
            ),
            # The two-person rule, kept by the database too: an approval or refusal is never by the one who asked,
            # nor by the account's holder.
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "refused"])
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("subject"))),
                name="account_change_second_person",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """Return the request's number as notices and pages give it: no personal data."""
        return f"AC-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def summary(self) -> str:
        """Say what was asked, in a few words (role names; never the new address)."""
        if self.kind == self.Kind.GRANT_ROLES:
            labels = [Role(role).label for role in self.roles if role in Role.values]
            names = " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
            return f"Give the {names} role{'s' if len(labels) > 1 else ''}"
        return self.get_kind_display()


class KeptForm(models.Model):
    """What a user sent in a form as their session ended, kept encrypted for a short time to give back to them.

    Only the same user, signing in again in the same browser, gets it back, once (accounts/kept.py). Files are
    never kept. The contents are encrypted with a key derived from SECRET_KEY: the database alone cannot read them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The page the form was on and sent to, as the service wrote it (ids, never what was typed).
    path = models.CharField(max_length=500)
    sealed = models.TextField()
    files_dropped = models.BooleanField(default=False)
    kept_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"kept form {self.pk}"
