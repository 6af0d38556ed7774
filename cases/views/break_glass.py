"""Break-glass: the reason an officer gives to open a case outside their caseload, and the supervisors' review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from audit.services import record, record_list
from cases import break_glass, permissions, selectors
from cases.forms import BreakGlassReasonForm, BreakGlassReviewForm
from cases.models import BreakGlass
from core.paging import page_of


@allow_if(permissions.can_work_cases)
@never_cache
@require_http_methods(["GET", "POST"])
def reason(request, pk):
    """Ask an officer why they need a case outside their caseload; the page shows nothing of it but its reference."""
    case = get_object_or_404(selectors.visible_cases(request.user), pk=pk)
    if permissions.can_read(request.user, case):
        return redirect("cases:detail", pk=case.pk)
    if request.method == "GET":
        # Where a 403 used to be (and is audited as refused): the attempt is on the case's record either way.
        record(by=request.user, action="break_glass.asked", target=case)
    form = BreakGlassReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = break_glass.open_with_reason(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            until = timezone.localtime(grant.expires_at)
            messages.info(request, f"You can open this case until {until:%H:%M}. A supervisor will review your reason.")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/break_glass_reason.html", {"case": case, "form": form, "minutes": break_glass.minutes()}
    )


@allow_if(permissions.can_review_break_glass)
@never_cache
@require_GET
def review_queue(request):
    """Break-glass accesses for supervisors: those awaiting review oldest first, or those reviewed."""
    reviewed = request.GET.get("show") == "reviewed"
    grants = (selectors.break_glass_reviewed if reviewed else selectors.break_glass_to_review)(request.user)
    page = page_of(request, grants)
    rows = list(page.object_list)
    record_list(by=request.user, action="break_glass.listed", targets=rows, reviewed=reviewed)
    reviewable = {grant.pk for grant in rows if permissions.can_review_break_glass(request.user, grant)}
    context = {"page": page, "rows": rows, "reviewed": reviewed}
    context["reviewable"] = reviewable
    return render(request, "cases/break_glass_queue.html", context)


@allow_if(permissions.can_review_break_glass)
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """One break-glass access, with the form to mark it appropriate or not (never one's own)."""
    grant = get_object_or_404(selectors.visible_break_glass(request.user), pk=pk)
    if not permissions.can_review_break_glass(request.user, grant):
        raise PermissionDenied
    form = BreakGlassReviewForm(request.POST or None) if grant.reviewed_at is None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            break_glass.review_access(grant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            verdict = BreakGlass.Verdict(form.cleaned_data["verdict"]).label.lower()
            messages.success(request, f"Access to {grant.case.reference} by {grant.user.full_name} marked {verdict}.")
            return redirect("cases:break_glass_queue")
    record(by=request.user, action="break_glass.viewed", target=grant)
    return render(request, "cases/break_glass_review.html", {"grant": grant, "form": form})
