"""Correct a record, restrict or lift a restriction on a case, and the supervisors' list of restricted cases."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from audit.services import record, record_list
from cases import selectors as cases
from core.paging import page_of
from rights import permissions, selectors, services
from rights.forms import RectifyForm, RestrictionForm


def _form_page(request, case, form, template, title, **extra):
    """Render a form about the case; it shows the case, so opening it is audited as a read."""
    record(by=request.user, action="case.viewed", target=case, page=title)
    return render(request, template, {"case": case, "form": form, "title": title, **extra})


@allow_if(permissions.can_rectify)
@never_cache
@require_http_methods(["GET", "POST"])
def rectify(request, pk):
    case = get_object_or_404(cases.visible_cases(request.user), pk=pk)
    if not permissions.can_rectify(request.user, case):
        raise PermissionDenied
    form = RectifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectify(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Correction saved. Everyone the case was shared with is being told.")
            return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, "rights/rectify.html", "Correct a record")


@allow_if(permissions.can_restrict)
@never_cache
@require_http_methods(["GET", "POST"])
def restriction(request, pk):
    case = get_object_or_404(cases.visible_cases(request.user), pk=pk)
    in_force = selectors.restriction_in_force(case)
    form = RestrictionForm(request.POST or None, lifting=in_force is not None)
    if request.method == "POST" and form.is_valid():
        write = services.lift_restriction if in_force else services.restrict_record
        try:
            write(case, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Restriction lifted." if in_force else "Case restricted: kept but not used.")
            return redirect("cases:detail", pk=case.pk)
    title = "Lift the restriction" if in_force else "Restrict processing of this case"
    return _form_page(request, case, form, "rights/restriction.html", title, restriction=in_force)


@allow_if(permissions.can_list_restricted)
@never_cache
@require_GET
def restricted(request):
    """The restricted cases, for supervisors: out of the queue and searches, they are found here."""
    page = page_of(request, selectors.visible_restrictions(request.user))
    record_list(by=request.user, action="case.list_viewed", targets=[item.case for item in page], page="restricted")
    return render(request, "rights/restricted_list.html", {"page": page})
