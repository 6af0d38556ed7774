"""The sign-in steps. A user is signed in only after every factor their account needs.

Step one checks the password (through django-axes, which counts failures). If the account needs or
has a second factor, the session only remembers, for a few minutes, who is half-way and which one
step is open to them: the code (they have an app) or enrolment (they have none yet). Nothing else is
open to that session. Step two checks the code and signs in, with a new session id.
"""

import hashlib
import hmac
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, User
from audit.models import AuditEvent
from audit.services import record

PENDING_USER = "signin_pending_user"
PENDING_SINCE = "signin_pending_since"
PENDING_STEP = "signin_pending_step"
PENDING_BACKEND = "signin_pending_backend"
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"

STEP_CODE = "code"
STEP_ENROL = "enrol"


def axes_username(request, credentials) -> str:
    """Count lockouts per normalised e-mail, so case or spaces cannot dodge them.

    django-axes passes `{"email": ...}` when it checks and Django's failure signal `{"username": ...}`
    when it counts: both must name the same account.
    """
    credentials = credentials or {}
    raw = credentials.get("email") or credentials.get("username") or request.POST.get("email", "")
    return raw.strip().lower()


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """Describe a sign-in attempt in django-axes' log lines without the e-mail address typed."""
    return f"sign-in attempt {login_hash(username or '')[:12]}"


def login_hash(text: str) -> str:
    """Return a keyed hash of typed text (an e-mail, search terms): it can be matched later, never read back."""
    return hmac.new(settings.SECRET_KEY.encode(), text.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def address_is_throttled(request) -> bool:
    """Is this client address past the limit of failed sign-ins (to any accounts) in the window?

    Accounts lock on their own (django-axes, per e-mail); this stops one address spraying passwords
    across many accounts, with a limit high enough for a busy office behind one address.
    """
    address = request.audit_context.ip_address
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_ADDRESS_WINDOW_MINUTES)
    failures = AuditEvent.objects.filter(action="auth.sign_in_failed", ip_address=address, occurred_at__gte=since)
    return address is not None and failures.count() >= settings.SIGN_IN_ADDRESS_LIMIT


def check_password(request, email: str, password: str) -> User | None:
    """Return the user if the e-mail and password match an active account; audit a failure."""
    user = auth.authenticate(request, username=email.strip().lower(), password=password)
    if user is None:
        known = User.objects.filter(email__iexact=email.strip()).first()
        record(
            by=None,
            action="auth.lockout_refused" if getattr(request, "axes_locked_out", False) else "auth.sign_in_failed",
            target=known,
            login_hash=login_hash(email),
        )
    return user


def confirm_password(request, user: User, password: str) -> bool:
    """Check a signed-in user's password again, counted by the lockout like any sign-in; audit a failure."""
    if auth.authenticate(request, username=user.email, password=password) is not None:
        return True
    record(by=user, action="auth.password_recheck_failed", target=user)
    return False


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user: User) -> bool:
    return user.requires_mfa or has_authenticator(user)


def start_second_factor(request, user: User) -> str:
    """Open one second step for a few minutes: the code if they have an app, else enrolment."""
    step = STEP_CODE if has_authenticator(user) else STEP_ENROL
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = time.time()
    request.session[PENDING_STEP] = step
    request.session[PENDING_BACKEND] = user.backend
    record(by=None, action="auth.password_accepted", target=user, next_step=step)
    return step


def pending_user(request, step: str) -> User | None:
    """Return the user half-way through signing in, if this step is theirs and has not timed out."""
    session = request.session
    if session.get(PENDING_STEP) != step or time.time() - session.get(PENDING_SINCE, 0) > settings.MFA_PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=session.get(PENDING_USER), is_active=True).first()
    if user is None or (step == STEP_ENROL and has_authenticator(user)):
        return None
    user.backend = session.get(PENDING_BACKEND)
    return user


def verify_second_factor(request, user: User, code: str):
    """Return the device that accepts this code (app code or backup code), or None; audit either way."""
    code = "".join(code.split())
    model = TOTPDevice if code.isdigit() and len(code) == 6 else BackupCodeDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    with transaction.atomic():
        if device is not None and device.verify_token(code.lower()):
            return device
    record(by=None, action="auth.second_factor_failed", target=user)
    return None


@transaction.atomic
def complete_sign_in(request, user: User, device=None) -> None:
    """Sign the user in with a new session id, bound to the second factor they used; audit it."""
    for key in (PENDING_USER, PENDING_SINCE, PENDING_STEP, PENDING_BACKEND):
        request.session.pop(key, None)
    auth.login(request, user, backend=getattr(user, "backend", None))
    if device is not None:
        otp_login(request, device)
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    record(
        by=user,
        action="auth.signed_in",
        target=user,
        second_factor=type(device).__name__ if device is not None else "none",
    )


def bind_session_to_device(request, device) -> None:
    """Mark this session as verified by a newly enrolled device."""
    otp_login(request, device)


def sign_out(request, *, reason: str = "") -> None:
    """End this session; audit who left and why (asked, idle, too long)."""
    user = request.user
    if user.is_authenticated:
        record(by=user, action="auth.signed_out", target=user, why=reason or "asked")
    auth.logout(request)


def session_ends_at(session) -> float:
    """When this session ends if nothing more happens: the idle limit, or the absolute limit if that comes first."""
    idle_end = session.get(LAST_SEEN_AT, 0) + settings.SESSION_IDLE_TIMEOUT.total_seconds()
    return min(idle_end, absolute_end(session))


def absolute_end(session) -> float:
    """When this session ends whatever the user does."""
    return session.get(SIGNED_IN_AT, 0) + settings.SESSION_ABSOLUTE_LIMIT.total_seconds()


def extend_session(session) -> float:
    """Start the idle limit again from now (never past the absolute limit); return when the session now ends."""
    session[LAST_SEEN_AT] = time.time()
    return session_ends_at(session)
