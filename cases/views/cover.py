"""Cover: an officer (or a supervisor for them) names a colleague to work their cases while they are away."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from cases import cover, permissions, selectors
from cases.forms import CoverForm


@allow_if(permissions.can_work_cases)
@never_cache
@require_GET
def covers(request):
    """The covers an officer gives or takes (every officer's, for supervisors), current and to come."""
    rows = [(item, permissions.can_end_cover(request.user, item)) for item in selectors.visible_covers(request.user)]
    return render(request, "cases/covers.html", {"rows": rows, "supervisor": permissions.can_supervise(request.user)})


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def cover_new(request):
    """Name a colleague and the dates; what was typed stays when a rule is broken."""
    supervisor = permissions.can_supervise(request.user)
    form = CoverForm(request.POST or None, officer=None if supervisor else request.user)
    if request.method == "POST" and form.is_valid():
        officer = form.chosen("officer") if supervisor else request.user
        try:
            if officer is None:
                raise ValidationError({"officer": "Select the officer who is away"})
            if not permissions.can_set_cover(request.user, officer):
                raise ValidationError({"officer": "Select an officer who is a Prevent officer"})
            made = cover.set_cover(
                officer,
                colleague=form.chosen("colleague"),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{made.colleague.full_name} covers {officer.full_name}'s cases.")
            return redirect("cases:covers")
    return render(request, "cases/cover_form.html", {"form": form})


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def cover_end(request, pk):
    """Ask first, then end a cover early (it takes effect at once)."""
    item = get_object_or_404(selectors.visible_covers(request.user), pk=pk)
    if not permissions.can_end_cover(request.user, item):
        raise PermissionDenied
    if request.method == "POST":
        try:
            cover.end_cover(item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Cover ended.")
        return redirect("cases:covers")
    context = {
        "heading": "End this cover now?",
        "body": [
            f"{item.colleague.full_name} covers {item.officer.full_name}'s cases until {item.ends_on:%-d %B %Y}.",
            f"From now {item.colleague.full_name} no longer opens or works those cases.",
        ],
        "action": reverse("cases:cover_end", args=[item.pk]),
        "button": "End cover",
        "cancel": reverse("cases:covers"),
    }
    return render(request, "cases/confirm.html", context)
