"""Signing in and out. Public views here work only on the half-signed-in state they create."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import auth, kept, services
from accounts.forms import CodeForm, EnrolForm, SetPasswordForm, SignInForm
from accounts.models import User

BAD_CREDENTIALS = (
    "Enter a correct email address and password. "
    'If you have forgotten your password, choose "Forgotten your password?" below the form.'
)
NEXT_URL = "signin_next"
# The set-password link's token moves from the URL into the session at once (as Django's own
# password-reset view does), so it does not linger in the address bar, history or Referer.
SET_PASSWORD_TOKEN = "set_password_token"
SET_PASSWORD_URL_TOKEN = "set"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_not_required
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Check the e-mail and password; go on to the second factor when the account has or needs one."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        if auth.address_is_throttled(request):
            return render(request, "accounts/locked_out.html", status=429)
        user = auth.check_password(request, form.cleaned_data["email"], form.cleaned_data["password"])
        if user is None:
            form.add_error(None, BAD_CREDENTIALS)
        elif auth.needs_second_factor(user):
            step = auth.start_second_factor(request, user)
            request.session[NEXT_URL] = _next_url(request)
            return redirect("accounts:second_factor" if step == auth.STEP_CODE else "accounts:sign_in_enrol")
        else:
            auth.complete_sign_in(request, user)
            return redirect(kept.return_path(request, by=user) or _next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form})


def _start_again(request, what: str):
    messages.info(request, f"Sign in again: the time to {what} ran out.")
    return redirect("accounts:sign_in")


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """Ask for the code from the authenticator app (or a backup code) of the half-signed-in user."""
    user = auth.pending_user(request, auth.STEP_CODE)
    if user is None:
        return _start_again(request, "enter your security code")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = auth.verify_second_factor(request, user, form.cleaned_data["code"])
        if device is not None:
            next_url = request.session.pop(NEXT_URL, "/")
            auth.complete_sign_in(request, user, device)
            return redirect(kept.return_path(request, by=user) or next_url)
        form.add_error("code", "The code is not right. Check your app and enter the code it shows now.")
    return render(request, "accounts/second_factor.html", {"form": form})


def qr_data_uri(device) -> str:
    """Return the device's set-up link as an SVG QR code in a data URI (CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#0b0c0c")


def enrolment_page(request, form, device, **context):
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request, "accounts/enrol.html", {"form": form, "qr": qr_data_uri(device), "secret": secret, **context}
    )


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_enrol(request):
    """Set up the authenticator app at a first sign-in (no app yet), then sign in and show backup codes."""
    user = auth.pending_user(request, auth.STEP_ENROL)
    if user is None:
        return _start_again(request, "set up two-factor sign-in")
    form = EnrolForm(request.POST or None)
    if request.method == "GET":
        device = services.start_totp_enrolment(request.session, user, by=user)
        return enrolment_page(request, form, device, during_sign_in=True)
    device = services.enrolment_in_progress(request.session, user)
    if device is None:
        return redirect("accounts:sign_in_enrol")
    if form.is_valid():
        try:
            codes = services.confirm_totp_device(device, by=user, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session.pop(NEXT_URL, None)
            auth.complete_sign_in(request, user, services.confirmed_device(user))
            return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": True})
    return enrolment_page(request, form, device, during_sign_in=True)


@require_POST
def sign_out(request):
    auth.sign_out(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign_in")


@login_not_required
@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def set_password(request, uidb64, token):
    """Choose a password through a one-time link from an administrator's invitation."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, ValidationError):
        user = None
    if user is not None and token != SET_PASSWORD_URL_TOKEN and default_token_generator.check_token(user, token):
        request.session[SET_PASSWORD_TOKEN] = token
        return redirect("accounts:set_password", uidb64=uidb64, token=SET_PASSWORD_URL_TOKEN)
    token = request.session.get(SET_PASSWORD_TOKEN, "") if token == SET_PASSWORD_URL_TOKEN else ""
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password(user, by=user, password=form.cleaned_data["new_password1"], how="link")
        request.session.pop(SET_PASSWORD_TOKEN, None)
        messages.success(request, "Your password is set. Sign in with it now.")
        return redirect("accounts:sign_in")
    return render(request, "accounts/set_password.html", {"form": form})
