"""Account changes waiting for a second person: supervisors approve or refuse them, administrators cancel theirs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import changes, permissions, selectors
from accounts.access import allow_if
from accounts.forms import ChangeDecisionForm
from audit.services import record
from core.paging import page_of


@allow_if(permissions.can_see_account_changes)
@never_cache
@require_GET
def change_requests(request):
    """Changes to accounts waiting for approval, the oldest first (or those decided, the latest first); ids audited."""
    decided = request.GET.get("show") == "decided"
    requests = (selectors.decided_change_requests if decided else selectors.waiting_change_requests)(request.user)
    page = page_of(request, requests)
    rows = list(page.object_list)
    record(by=request.user, action="account_change.list_viewed", ids=[change.pk for change in rows], decided=decided)
    context = {
        "page": page,
        "rows": rows,
        "decided": decided,
        "can_decide": permissions.can_approve_account_changes(request.user),
    }
    return render(request, "accounts/change_requests.html", context)


@allow_if(permissions.can_see_account_changes)
@never_cache
@require_http_methods(["GET", "POST"])
def change_request(request, pk):
    """One change to an account: what was asked, by whom and why; a supervisor other than them decides it."""
    change = get_object_or_404(selectors.visible_change_requests(request.user), pk=pk)
    may_decide = permissions.can_decide_account_change(request.user, change)
    posted = request.method == "POST"
    if posted and not may_decide:
        raise PermissionDenied
    form = ChangeDecisionForm(request.POST if posted else None) if may_decide and (change.is_open or posted) else None
    if posted and form.is_valid():
        approve = form.cleaned_data["decision"] == ChangeDecisionForm.APPROVE
        try:
            if approve:
                changes.approve(change, by=request.user, note=form.cleaned_data["note"])
            else:
                changes.refuse(change, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "approved: the change is made" if approve else "refused: nothing was changed"
            messages.success(request, f"{change.summary} for {change.subject.full_name} {done}.")
            return redirect("accounts:change_requests")
    record(by=request.user, action="account_change.viewed", target=change, subject_id=change.subject_id)
    context = {
        "change": change,
        "form": form,
        "facts": selectors.sign_in_facts(change.subject),
        "may_cancel": change.is_open and permissions.can_manage_accounts(request.user),
        "own_request": change.requested_by_id == request.user.pk,
        "own_account": change.subject_id == request.user.pk,
    }
    return render(request, "accounts/change_request.html", context)


@allow_if(permissions.can_manage_accounts)
@require_POST
def change_request_cancel(request, pk):
    """Withdraw a change still waiting for approval; back to the account's page."""
    change = get_object_or_404(selectors.visible_change_requests(request.user), pk=pk)
    try:
        changes.cancel(change, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Request {change.reference} cancelled: nothing was changed.")
    return redirect("accounts:user_detail", pk=change.subject_id)
