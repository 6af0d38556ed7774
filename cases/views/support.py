"""Channel panel, support plan, consent, provider access and reviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from audit.services import record, record_list
from cases import permissions, selectors, support
from cases.forms import (
    ConsentForm,
    GrantForm,
    ProgressForm,
    ReviewForm,
    SupportPlanForm,
)
from cases.models import Case, ProviderGrant
from cases.views.case import _back, _case, _form_page
from referrals.facts import under_18_on
from rights.selectors import police_answers


def _save_form(request, case, form, title, write, done: str):
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _back(request, case)
    return _form_page(request, case, form, title)


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def support_plan(request, pk):
    case = _case(request, pk)
    existing = getattr(case, "support_plan", None)
    initial = {name: getattr(existing, name) for name in SupportPlanForm.base_fields} if existing else None
    form = SupportPlanForm(request.POST or None, initial=initial)
    return _save_form(
        request,
        case,
        form,
        "Support plan",
        lambda data: support.save_support_plan(case, by=request.user, **data),
        "Support plan saved.",
    )


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def consent(request, pk):
    case = _case(request, pk)
    referral = case.referrals.order_by("submitted_at").first()
    person = (police_answers(referral).get("the-person") or {}) if referral else {}
    form = ConsentForm(request.POST or None, under_18=under_18_on(person, timezone.localdate()))

    def write(data):
        support.record_consent(
            case,
            by=request.user,
            state=data["state"],
            given_by=data["given_by"],
            under_18=form.is_under_18(),
            note=data["note"],
        )

    return _save_form(request, case, form, "Record consent", write, "Consent recorded.")


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def grant(request, pk):
    case = _case(request, pk)
    form = GrantForm(request.POST or None)

    def write(data):
        support.grant_providers(case, by=request.user, sections=data["sections"], **form.recipients())

    return _save_form(request, case, form, "Give a support provider access", write, "Access given.")


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def revoke(request, pk, grant):
    """Ask first, then end a provider's access (it takes effect at once)."""
    case = _case(request, pk)
    item = get_object_or_404(case.grants.select_related("provider"), pk=grant)
    if request.method == "GET" and item.revoked_at is not None:
        messages.info(request, "That provider's access has already ended.")
        return _back(request, case)
    if request.method == "POST":
        support.revoke_provider(item, by=request.user)
        messages.success(request, "Access ended.")
        return _back(request, case)
    return render(
        request,
        "cases/confirm.html",
        {
            "heading": f"End {item.provider.full_name}'s access to case {case.reference}?",
            "body": [
                "They will no longer see the case or add progress notes. What they have written stays on the case.",
                "You can give them access again later.",
            ],
            "action": request.path,
            "button": "End access",
            "cancel": reverse("cases:detail", args=[case.pk]),
        },
    )


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def review(request, pk, review):
    case = _case(request, pk)
    item = get_object_or_404(case.reviews, pk=review)
    form = ReviewForm(request.POST or None)
    return _save_form(
        request,
        case,
        form,
        f"{item.months}-month review",
        lambda data: support.complete_review(item, by=request.user, **data),
        "Review recorded.",
    )


def _provided_case(request, pk) -> Case:
    """A provider's case: only while their grant lasts; otherwise, not found."""
    case = get_object_or_404(selectors.visible_provided_cases(request.user), pk=pk)
    if not permissions.supports(request.user, case):
        raise PermissionDenied
    return case


@allow_if(permissions.is_provider)
@require_GET
def provided(request):
    """A support provider's cases: only those shared with them, while the grant lasts."""
    cases = list(selectors.visible_provided_cases(request.user))
    record_list(by=request.user, action="case.list_viewed", targets=cases)
    return render(request, "cases/provided.html", {"cases": cases})


@allow_if(permissions.is_provider)
@never_cache
@require_http_methods(["GET", "POST"])
def provided_case(request, pk):
    """The sections of one case shared with this provider, and their progress notes."""
    case = _provided_case(request, pk)
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        support.record_progress(case, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Progress recorded.")
        return redirect("cases:provided_case", pk=case.pk)
    referral = case.referrals.order_by("submitted_at").first()
    share = selectors.provider_share(request.user, case, answers=police_answers(referral))
    record(
        by=request.user,
        action="case.viewed_by_provider",
        target=case,
        sections=share.sections,
        recipient_user_id=request.user.pk,
    )
    context = {
        "case": case,
        "share": share,
        "progress": case.progress_notes.filter(written_by=request.user),
        "form": form,
        "section_names": dict(ProviderGrant.Section.choices),
    }
    return render(request, "cases/provided_case.html", context)


@allow_if(permissions.is_provider)
@require_http_methods(["GET", "POST"])
def hand_back(request, pk):
    """Ask first, then hand the case back to the Prevent team (the provider's access ends at once)."""
    case = _provided_case(request, pk)
    if request.method == "POST":
        support.hand_back(case, by=request.user)
        messages.success(request, "You have handed the case back to the Prevent team.")
        return redirect("cases:provided")
    return render(
        request,
        "cases/confirm.html",
        {
            "heading": f"Hand case {case.reference} back to the Prevent team?",
            "body": [
                "You will no longer see this case or be able to add progress notes. The Prevent team is told.",
            ],
            "action": request.path,
            "button": "Hand the case back",
            "cancel": reverse("cases:provided_case", args=[case.pk]),
        },
    )
