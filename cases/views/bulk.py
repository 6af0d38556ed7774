"""Actions from the case queue page: reassign the ticked cases, save and delete the queue's filters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import allow_if
from accounts.models import User
from cases import permissions, queue, saved_filters, selectors, services
from cases.forms import BulkReassignForm, SaveFilterForm
from core.forms import error_list


@allow_if(permissions.can_work_cases)
@never_cache
@require_POST
def bulk_reassign(request):
    """Reassign the ticked cases: choose the officer and reason, confirm, then all are reassigned or none."""
    form = BulkReassignForm(request.POST)
    if form.is_valid() and "change" not in request.POST:
        to = User.objects.filter(pk=form.cleaned_data["to"]).first()
        selected = form.cleaned_data["cases"]
        if to is None:
            form.add_error("to", "Select an officer from the list")
        elif request.POST.get("confirmed") != "yes":
            cases = selectors.visible_cases(request.user).filter(pk__in=list(selected)).order_by("reference")
            return render(request, "cases/bulk_reassign_confirm.html", {"form": form, "to": to, "cases": cases})
        else:
            try:
                services.reassign_many(selected, to=to, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                count = len(selected)
                done = ngettext("%(count)d case reassigned", "%(count)d cases reassigned", count) % {"count": count}
                messages.success(request, f"{done} to {to.full_name}.")
                return redirect("cases:queue")
    shown = form.fields["cases"].to_python([v for v in form.selected_values() if _well_formed(v)])
    cases = selectors.visible_cases(request.user).filter(pk__in=list(shown)).order_by("reference")
    chosen = {str(case_id): f"{case_id}:{version}" for case_id, version in shown.items()}
    rows = [{"case": case, "value": chosen[str(case.pk)]} for case in cases]
    return render(
        request,
        "cases/bulk_reassign.html",
        {"form": form, "rows": rows, "officers": queue.officers(), "errors": error_list(form)},
    )


def _well_formed(value: str) -> bool:
    try:
        BulkReassignForm.base_fields["cases"].to_python([value])
    except ValidationError:
        return False
    return True


@allow_if(permissions.can_work_cases)
@never_cache
@require_POST
def save_filter(request):
    """Save the queue's current filters (sent as hidden fields) under a name of the user's choosing."""
    filter_form = queue.QueueFilterForm(
        request.POST, officers=queue.officers(), concern_types=queue.concern_types(), teams=queue.teams()
    )
    form = SaveFilterForm(request.POST)
    filters = dict(filter_form.cleaned_data) if filter_form.is_valid() else {}
    if form.is_valid() and filter_form.is_valid():
        try:
            saved = saved_filters.save_queue_filter(by=request.user, name=form.cleaned_data["name"], filters=filters)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Filters saved as '{saved.name}'.")
            return redirect(queue.filters_url(saved.filters))
    hidden = [
        (key, "on" if value is True else value) for key, value in filters.items() if value not in ("", None, False)
    ]
    return render(request, "cases/save_filter.html", {"form": form, "hidden": hidden})


@allow_if(permissions.can_work_cases)
@require_POST
def delete_filter(request, pk):
    """Delete one of the user's saved filters (another's is not there)."""
    saved = get_object_or_404(selectors.visible_saved_filters(request.user), pk=pk)
    saved_filters.delete_queue_filter(saved, by=request.user)
    messages.success(request, f"Saved filters '{saved.name}' deleted.")
    return redirect("cases:queue")
