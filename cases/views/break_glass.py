"""Break-glass: the reason an officer gives to open a case outside their caseload, and the supervisors' review."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from audit.services import record, record_list
from cases import break_glass, permissions, selectors
from cases.models import BreakGlass
from pages.forms import govuk_helper

PAGE_SIZE = 25


def _bounded(form, name: str, limit: int, message: str) -> str:
    # Checked here rather than with `maxlength`, so the character count shows and the text is kept as typed.
    value = form.cleaned_data.get(name, "").strip()
    if len(value) > limit:
        raise ValidationError(message)
    return value


class ReasonForm(forms.Form):
    reason_code = forms.ChoiceField(
        label="Reason",
        choices=BreakGlass.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to open this case"},
    )
    reason = forms.CharField(
        label="Explain why you need to open this case",
        help_text="A supervisor will read this. Do not include more about the person than you need to.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain why you need to open this case"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("reason_code", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=break_glass.REASON_MAX_LENGTH),
            submit="Open the case",
        )

    def clean_reason(self):
        limit = break_glass.REASON_MAX_LENGTH
        return _bounded(self, "reason", limit, f"Explain why in {limit} characters or fewer")


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Was this access appropriate?",
        choices=BreakGlass.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Required if the access was not appropriate.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("verdict", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL, max_characters=break_glass.NOTE_MAX_LENGTH),
            submit="Save review",
        )

    def clean_note(self):
        limit = break_glass.NOTE_MAX_LENGTH
        return _bounded(self, "note", limit, f"Keep the note to {limit} characters or fewer")

    def clean(self):
        data = super().clean()
        unexplained = data.get("verdict") == BreakGlass.Verdict.INAPPROPRIATE and not data.get("note")
        if unexplained and "note" not in self.errors:
            self.add_error("note", "Explain why the access was not appropriate")
        return data


@allow_if(permissions.can_work_cases)
@never_cache
@require_http_methods(["GET", "POST"])
def reason(request, pk):
    """Ask an officer why they need a case outside their caseload; the page shows nothing of it but its reference."""
    case = get_object_or_404(selectors.queue(request.user), pk=pk)
    if permissions.can_read(request.user, case):
        return redirect("cases:detail", pk=case.pk)
    if request.method == "GET":
        # Where a 403 used to be (and is audited as refused): the attempt is on the case's record either way.
        record(by=request.user, action="break_glass.asked", target=case)
    form = ReasonForm(request.POST or None)
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
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    record_list(by=request.user, action="break_glass.listed", targets=rows, reviewed=reviewed)
    context = {"page": page, "rows": rows, "reviewed": reviewed, "show": "reviewed" if reviewed else ""}
    return render(request, "cases/break_glass_queue.html", context)


@allow_if(permissions.can_review_break_glass)
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """One break-glass access, with the form to mark it appropriate or not (never one's own)."""
    grant = get_object_or_404(selectors.break_glass_accesses(request.user), pk=pk)
    if not permissions.can_review_break_glass(request.user, grant):
        raise PermissionDenied
    form = ReviewForm(request.POST or None) if grant.reviewed_at is None else None
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
