"""Administrators manage users and organisations here. Nothing here shows case content."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import OrganisationForm, UserForm
from audit.services import record

manage_accounts = permission_required("accounts.manage_accounts", raise_exception=True)
PAGE_SIZE = 50


@manage_accounts
@require_http_methods(["GET"])
def user_list(request):
    page = Paginator(selectors.visible_users(request.user).order_by("full_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record(by=request.user, action="user.list_viewed", ids=[user.pk for user in page])
    return render(request, "accounts/user_list.html", {"page": page})


@manage_accounts
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(by=request.user, **form.cleaned_data_for_service())
        messages.success(request, "Account created. We have e-mailed them a link to set their password.")
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "Add a user"})


@manage_accounts
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    form = UserForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(
                user, by=request.user, is_active=form.cleaned_data["is_active"], **form.cleaned_data_for_service()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("accounts:user_detail", pk=user.pk)
    record(by=request.user, action="user.viewed", target=user)
    return render(request, "accounts/user_form.html", {"form": form, "subject": user, "title": user.full_name})


@manage_accounts
@require_POST
def user_send_link(request, pk):
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    services.send_sign_in_link(user, by=request.user)
    messages.success(request, "A new link to set a password has been sent.")
    return redirect("accounts:user_detail", pk=user.pk)


@manage_accounts
@require_POST
def user_reset_mfa(request, pk):
    user = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    services.reset_mfa(user, by=request.user)
    messages.success(request, "Two-factor sign-in was reset. They will set it up again at their next sign-in.")
    return redirect("accounts:user_detail", pk=user.pk)


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
    page = Paginator(selectors.visible_organisations(request.user).order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
