"""The sign-in steps. A user is signed in only after every factor their account needs.

Step one checks the password (through django-axes, which counts failures). If the account needs or
has a second factor, the session only remembers who is half-way for a few minutes; nothing else is
open to it. Step two checks the code and signs in, with a new session id.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.services import record

PENDING_USER = "signin_pending_user"
PENDING_SINCE = "signin_pending_since"
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"


def axes_username(request, credentials) -> str:
    """Count lockouts per normalised e-mail, so case or spaces cannot dodge them."""
    raw = (credentials or {}).get("username") or request.POST.get("email", "")
    return raw.strip().lower()


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """Describe a sign-in attempt in django-axes' log lines without the e-mail address typed."""
    return f"sign-in attempt {login_hash(username or '')[:12]}"


def login_hash(email: str) -> str:
    """Return a keyed hash of a typed e-mail: failed sign-ins can be correlated without storing it."""
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


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


def needs_second_factor(user: User) -> bool:
    return user.requires_mfa or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_second_factor(request, user: User) -> None:
    """Remember, for a few minutes, that this session has passed the password step."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = time.time()
    request.session["signin_backend"] = user.backend
    record(by=None, action="auth.password_accepted", target=user)


def pending_user(request) -> User | None:
    """Return the user half-way through signing in, if the step has not timed out."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None or time.time() - since > settings.MFA_PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        user.backend = request.session.get("signin_backend")
    return user


def verify_second_factor(request, user: User, code: str):
    """Return the device that accepts this code (app code or backup code), or None; audit either way."""
    code = "".join(code.split())
    device = None
    if code.isdigit() and len(code) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    with transaction.atomic():
        if device is not None and device.verify_token(code.lower()):
            return device
    record(by=None, action="auth.second_factor_failed", target=user)
    return None


def complete_sign_in(request, user: User, device=None) -> None:
    """Sign the user in with a new session id, bound to the second factor they used; audit it."""
    for key in (PENDING_USER, PENDING_SINCE, "signin_backend"):
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


def sign_out(request, *, reason: str = "") -> None:
    """End this session; audit who left and why (asked, idle, too long)."""
    user = request.user
    if user.is_authenticated:
        record(by=user, action="auth.signed_out", target=user, why=reason or "asked")
    auth.logout(request)


def bind_session_to_device(request, device) -> None:
    """Mark this session as verified by a newly enrolled device."""
    otp_login(request, device)
