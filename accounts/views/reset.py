"""Resetting a forgotten password by e-mail: ask, then follow the link (the code first where the account has one).

The link's token moves from the URL into the session at once, as for the set-password link (accounts.views.signin):
it does not linger in the address bar, history or Referer. The code step, once passed, is bound to that token.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts import auth, limits, reset
from accounts.forms import CodeForm, ForgottenPasswordForm, SetPasswordForm
from accounts.tokens import link_lifetime

RESET_TOKEN = "password_reset_token"
RESET_FACTOR_GIVEN = "password_reset_factor_given"  # the token whose second factor this session gave
URL_TOKEN = "set"
WRONG_CODE = "The code is not right. Check your app and enter the code it shows now, or enter a backup code."


@login_not_required
@sensitive_post_parameters("email")
@never_cache
@require_http_methods(["GET", "POST"])
def forgotten_password(request):
    """Ask for a reset link: the same answer whether or not an account has the address; limited per address, network."""
    if request.user.is_authenticated:
        return redirect("accounts:password_change")
    form = ForgottenPasswordForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        network = str(request.audit_context.ip_address)
        refusal = limits.check(request, "password_reset_address", key=network) or limits.check(
            request, "password_reset_email", key=auth.login_hash(email)
        )
        if refusal is None:
            reset.request_reset(email)
            return redirect("accounts:reset_sent")
    response = render(request, "accounts/forgotten_password.html", {"form": form, "rate_limited": refusal})
    return limits.too_many(response, refusal)


@login_not_required
@never_cache
@require_GET
def reset_sent(request):
    """Say a link is on its way, if an account has the address: never whether one does."""
    return render(request, "accounts/reset_sent.html", {"lifetime": link_lifetime()})


@login_not_required
@sensitive_post_parameters("code", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request, uidb64, token):
    """Follow a reset link: the second factor if the account has or needs one, then the new password."""
    user = reset.user_from_link(uidb64)
    if token != URL_TOKEN and reset.link_works(user, token):
        request.session[RESET_TOKEN] = token
        request.session.pop(RESET_FACTOR_GIVEN, None)
        reset.link_opened(user)
        return redirect("accounts:reset_password", uidb64=uidb64, token=URL_TOKEN)
    token = request.session.get(RESET_TOKEN, "") if token == URL_TOKEN else ""
    if user is None or not reset.link_works(user, token):
        return render(request, "accounts/reset_password_invalid.html", {"lifetime": link_lifetime()}, status=404)
    step = reset.next_step(user)
    given = bool(token) and request.session.get(RESET_FACTOR_GIVEN) == token
    if step == reset.NEXT_ADMINISTRATOR:
        return render(request, "accounts/reset_password_administrator.html")
    if step == reset.NEXT_CODE and not given:
        return _code_step(request, user, token)
    return _password_step(request, user, given)


def _code_step(request, user, token):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if auth.verify_second_factor(request, user, form.cleaned_data["code"]) is not None:
            request.session[RESET_FACTOR_GIVEN] = token
            return redirect(request.path)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/reset_password_code.html", {"form": form})


def _password_step(request, user, given: bool):
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        reset.reset_password(user, by=user, password=form.cleaned_data["new_password1"], second_factor_given=given)
        request.session.pop(RESET_TOKEN, None)
        request.session.pop(RESET_FACTOR_GIVEN, None)
        messages.success(
            request, "Your password has been reset and you are signed out everywhere. Sign in with it now."
        )
        return redirect("accounts:sign_in")
    return render(request, "accounts/reset_password.html", {"form": form})
