"""A signed-in user's own account: two-factor sign-in, backup codes, password, sessions."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import auth, selectors, services
from accounts.forms import ConfirmPasswordForm, EnrolForm, PasswordChangeForm
from accounts.views.signin import enrolment_page

WRONG_PASSWORD = "Your password is not right"


@require_GET
def security(request):
    """Show the user's sign-in settings; every signed-in user may see their own."""
    user = request.user
    context = {
        "has_app": auth.has_authenticator(user),
        "backup_codes_left": selectors.backup_codes_left(user),
    }
    return render(request, "accounts/security.html", context)


@sensitive_post_parameters("code", "password")
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up (or replace) the authenticator app while signed in, giving the password again."""
    form = EnrolForm(request.POST or None, password_again=True)
    if request.method == "GET":
        return enrolment_page(
            request, form, services.start_totp_enrolment(request.session, request.user, by=request.user)
        )
    device = services.enrolment_in_progress(request.session, request.user)
    if device is None:
        return redirect("accounts:enrol")
    if form.is_valid():
        if not auth.confirm_password(request, request.user, form.cleaned_data["password"]):
            form.add_error("password", WRONG_PASSWORD)
        else:
            try:
                codes = services.confirm_totp_device(device, by=request.user, token=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                auth.bind_session_to_device(request, services.confirmed_device(request.user))
                return render(request, "accounts/backup_codes.html", {"codes": codes})
    return enrolment_page(request, form, device)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """Replace the backup codes, after the password is given again, and show the new set once."""
    form = ConfirmPasswordForm(request.POST or None, submit="Make new backup codes")
    if request.method == "POST" and form.is_valid():
        if auth.confirm_password(request, request.user, form.cleaned_data["password"]):
            codes = services.generate_backup_codes(request.user, by=request.user)
            return render(request, "accounts/backup_codes.html", {"codes": codes})
        form.add_error("password", WRONG_PASSWORD)
    return render(request, "accounts/backup_codes_confirm.html", {"form": form})


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Change password; this session stays signed in and every other one ends."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.set_password(
            request.user, by=request.user, password=form.cleaned_data["new_password1"], how="changed"
        )
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed. You are signed out everywhere else.")
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
def sign_out_everywhere(request):
    """End every session of this user, this one included."""
    services.end_all_sessions(request.user, by=request.user)
    auth.sign_out(request, reason="everywhere")
    messages.success(request, "You have been signed out on every device.")
    return redirect("accounts:sign_in")
