"""Administrators manage users and organisations here. Nothing here shows case content."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions, selectors, services
from accounts.forms import OrganisationForm, ResetMfaForm, TeamForm, UserForm
from audit.services import record
from core.paging import page_of

manage_accounts = permission_required("accounts.manage_accounts", raise_exception=True)


@manage_accounts
@require_http_methods(["GET"])
def user_list(request):
    page = page_of(request, selectors.visible_users(request.user).order_by("full_name", "pk"))
    record(by=request.user, action="user.list_viewed", ids=[user.pk for user in page])
    return render(request, "accounts/user_list.html", {"page": page})


@manage_accounts
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(by=request.user, **form.cleaned_data_for_service())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            waiting = _waiting(request, user)
            messages.success(request, f"Account created.{waiting} We have e-mailed them a link to set their password.")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "Add a user"})


def _waiting(request, user) -> str:
    """Say which changes to the account wait for a supervisor's approval, for the message after saving."""
    waiting = selectors.changes_waiting_for(request.user, user)
    if not waiting:
        return ""
    asked = "; ".join(f"{change.summary} ({change.reference})" for change in waiting)
    return f" Waiting for a supervisor's approval: {asked}."


@manage_accounts
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    form = UserForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.update_user(
                    user, by=request.user, is_active=form.cleaned_data["is_active"], **form.cleaned_data_for_service()
                )
                services.set_team(user, team=form.cleaned_data["team"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Changes saved.{_waiting(request, user)}")
            return redirect("accounts:user_detail", pk=user.pk)
    record(by=request.user, action="user.viewed", target=user)
    context = {
        "form": form,
        "subject": user,
        "title": user.full_name,
        "police": permissions.is_police_account(user),
        "waiting": selectors.changes_waiting_for(request.user, user),
    }
    return render(request, "accounts/user_form.html", context)


@manage_accounts
@require_POST
def user_send_link(request, pk):
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    try:
        services.send_sign_in_link(user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "A new link to set a password has been sent.")
    return redirect("accounts:user_detail", pk=user.pk)


@manage_accounts
@never_cache
@require_http_methods(["GET", "POST"])
def user_reset_mfa(request, pk):
    """Reset a user's two-factor sign-in, or on a police account ask a supervisor to approve the reset."""
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    police = permissions.is_police_account(user)
    form = ResetMfaForm(request.POST if request.method == "POST" else None, needs_approval=police)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.reset_mfa(user, by=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if change is None:
                done = "Two-factor sign-in was reset. They will set it up again at their next sign-in."
            else:
                done = f"A supervisor must approve the reset of two-factor sign-in ({change.reference})."
            messages.success(request, done)
            return redirect("accounts:user_detail", pk=user.pk)
    record(by=request.user, action="user.viewed", target=user)
    return render(request, "accounts/user_reset_mfa.html", {"form": form, "subject": user, "police": police})


@manage_accounts
@require_POST
def user_unlock(request, pk):
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    services.unlock_user(user, by=request.user)
    messages.success(request, "The account is unlocked.")
    return redirect("accounts:user_detail", pk=user.pk)


@manage_accounts
@require_http_methods(["GET"])
def organisation_list(request):
    page = page_of(request, selectors.visible_organisations(request.user).order_by("name", "pk"))
    return render(request, "accounts/organisation_list.html", {"page": page})


@manage_accounts
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_organisation(by=request.user, **form.cleaned_data)
        messages.success(request, "Organisation added.")
        return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "title": "Add an organisation"})


@manage_accounts
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(selectors.visible_organisations(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(organisation, by=request.user, **form.cleaned_data)
        messages.success(request, "Changes saved.")
        return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "title": organisation.name})


@manage_accounts
@require_http_methods(["GET", "POST"])
def teams(request):
    """The teams of Prevent officers, and a form to add one (officers are put in a team on their user page)."""
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_team(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Team added.")
            return redirect("accounts:teams")
    return render(request, "accounts/teams.html", {"form": form, "teams": selectors.visible_teams(request.user)})
