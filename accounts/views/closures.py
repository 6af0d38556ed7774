"""Administrators keep the team's local closure days: days that are not working days, like bank holidays."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import closures, permissions, selectors
from accounts.access import allow_if
from accounts.forms import ClosureDayForm
from core.paging import page_of


@allow_if(permissions.can_manage_closure_days)
@require_http_methods(["GET", "POST"])
def closure_days(request):
    """List the closure days added in the service and add one."""
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = closures.add_closure_day(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("day", error)
        else:
            messages.success(request, f"{closure.day:%-d %B %Y} added as a closure day.")
            return redirect("accounts:closure_days")
    context = {
        "form": form,
        "page": page_of(request, selectors.visible_closure_days(request.user)),
        "configured": sorted(date.fromisoformat(day) for day in settings.LOCAL_CLOSURE_DAYS),
    }
    return render(request, "accounts/closure_days.html", context)


@allow_if(permissions.can_manage_closure_days)
@require_POST
def closure_day_remove(request, pk):
    closure = get_object_or_404(selectors.visible_closure_days(request.user), pk=pk)
    closures.remove_closure_day(closure, by=request.user)
    messages.success(request, f"{closure.day:%-d %B %Y} is a working day again.")
    return redirect("accounts:closure_days")
