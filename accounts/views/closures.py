"""Administrators keep the days the team is closed besides bank holidays. No personal data here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import closures, permissions
from accounts.access import allow_if
from accounts.forms import ClosureDayForm
from core.models import ClosureDay


@allow_if(permissions.can_manage_closure_days)
@require_http_methods(["GET", "POST"])
def closure_days(request):
    """The closure days from today on, and a form to add one (a refused one keeps what was typed)."""
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = closures.add_closure_day(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # the service's errors by field go to their fields
        else:
            messages.success(request, f"{closure.day:%-d %B %Y} is now a closure day.")
            return redirect("accounts:closure_days")
    days = ClosureDay.objects.select_related("added_by").order_by("-day")[:200]
    return render(request, "accounts/closure_days.html", {"form": form, "days": days})


@allow_if(permissions.can_manage_closure_days)
@require_http_methods(["GET", "POST"])
def closure_day_remove(request, pk):
    """Ask, then take a closure day off (GOV.UK confirmation pattern)."""
    closure = get_object_or_404(ClosureDay, pk=pk)
    if request.method == "POST":
        closures.remove_closure_day(closure, by=request.user)
        messages.success(request, f"{closure.day:%-d %B %Y} is a working day again.")
        return redirect("accounts:closure_days")
    context = {
        "heading": f"Make {closure.day:%-d %B %Y} a working day again?",
        "body": [f"{closure.name}: targets and reminders will count this day as a working day again."],
        "action": request.path,
        "button": "Remove the closure day",
        "cancel": reverse("accounts:closure_days"),
    }
    return render(request, "cases/confirm.html", context)
