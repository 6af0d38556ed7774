"""Retention screens: the review queue, one review, erasures to approve, legal holds, and the rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from audit.services import record, record_list
from core.forms import whole_number
from core.paging import page_of
from retention import permissions, selectors, services
from retention.forms import ApprovalForm, DecisionForm, HoldForm, LiftForm, RuleForm


def _page(request, queryset):
    page = page_of(request, queryset)
    return page, list(page.object_list)


@allow_if(permissions.can_review_retention)
@never_cache
@require_GET
def queue(request):
    """Records waiting for a retention decision, the longest overdue first (or those decided); ids audited."""
    decided = request.GET.get("show") == "decided"
    reviews = (selectors.decided_reviews if decided else selectors.waiting_reviews)(request.user)
    page, rows = _page(request, reviews)
    record_list(by=request.user, action="retention.queue_viewed", targets=rows, decided=decided)
    context = {
        "page": page,
        "rows": rows,
        "decided": decided,
        "approvals": selectors.erasures_to_approve(request.user).count(),
    }
    return render(request, "retention/queue.html", context)


@allow_if(permissions.can_review_retention)
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """One record's review: what the reviewer needs (reference, outcome, dates, rule) and the decision form."""
    review = get_object_or_404(selectors.visible_reviews(request.user), pk=pk)
    hold = selectors.active_hold_on(review.record) if review.on_hold else None
    actions = permissions.review_actions(request.user, review, held=hold is not None)
    form = DecisionForm(request.POST or None) if actions.decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.KEEP:
                services.keep(review, by=request.user, reason=data["reason"], next_review_on=data["next_review_on"])
                done = f"{review.label} kept. It will be reviewed again on {data['next_review_on']:%-d %B %Y}."
            else:
                services.request_erasure(review, by=request.user, reason=data["reason"])
                done = f"Erasure of {review.label} requested. Another supervisor must approve it."
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("retention:queue")
    record(by=request.user, action="retention.review_viewed", target=review)
    context = {
        "review": review,
        "form": form,
        "rule": selectors.current_rule(review),
        "history": selectors.decisions_on_record(review),
        "hold": hold,
        "actions": actions,
    }
    return render(request, "retention/review.html", context)


@allow_if(permissions.can_review_retention)
@never_cache
@require_GET
def approvals(request):
    """Erasures waiting for a second supervisor, the oldest request first; ids audited."""
    page, rows = _page(request, selectors.erasures_to_approve(request.user))
    record_list(by=request.user, action="retention.approvals_viewed", targets=rows)
    return render(request, "retention/approvals.html", {"page": page, "rows": rows})


@allow_if(permissions.can_review_retention)
@never_cache
@require_http_methods(["GET", "POST"])
def approval(request, pk):
    """One erasure request, approved or refused by a supervisor other than the one who asked."""
    review = get_object_or_404(selectors.visible_reviews(request.user), pk=pk)
    actions = permissions.review_actions(request.user, review, held=False)
    form = ApprovalForm(request.POST or None) if actions.approve else None
    if request.method == "POST" and form is not None and form.is_valid():
        label = review.label
        try:
            if form.cleaned_data["decision"] == ApprovalForm.APPROVE:
                tombstone = services.approve_erasure(review, by=request.user)
                done = f"{label} erased. Deletion certificate {tombstone.certificate_number}."
            else:
                services.reject_erasure(review, by=request.user, reason=form.cleaned_data["reason"])
                done = f"Erasure of {label} not approved. It is back in the review queue."
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("retention:approvals")
    record(by=request.user, action="retention.review_viewed", target=review)
    context = {
        "review": review,
        "form": form,
        "rule": selectors.current_rule(review),
        "history": selectors.decisions_on_record(review),
        "actions": actions,
    }
    return render(request, "retention/approval.html", context)


def _reference_of_review(request) -> str:
    """Return the reference of the case a review (`?review=<id>`) is about, to prefill the hold form; audited.

    The review's id, not the reference, travels in the link: a reference in a URL would land in server logs.
    """
    pk = request.GET.get("review", "")
    if not pk or request.method != "GET":
        return ""
    review = get_object_or_404(selectors.visible_reviews(request.user).select_related("case"), pk=whole_number(pk))
    record(by=request.user, action="retention.review_viewed", target=review)
    return review.case.reference if review.case is not None else ""


@allow_if(permissions.can_review_retention)
@never_cache
@require_http_methods(["GET", "POST"])
def holds(request):
    """Records under legal hold (or holds lifted), and the form to put a case under hold."""
    lifted = request.GET.get("show") == "lifted"
    holds = selectors.visible_holds(request.user).filter(lifted_at__isnull=not lifted)
    form = HoldForm(request.POST or None, initial={"reference": _reference_of_review(request)})
    if request.method == "POST" and form.is_valid():
        held = selectors.record_by_reference(form.cleaned_data["reference"])
        if held is None:
            form.add_error("reference", "No case or referral has that reference: check it and try again")
        else:
            try:
                services.set_hold(held, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{held.reference} is under legal hold until the hold is lifted.")
                return redirect("retention:holds")
    page, rows = _page(request, holds.order_by("-lifted_at", "-set_at", "-id") if lifted else holds)
    record_list(by=request.user, action="retention.holds_viewed", targets=rows, lifted=lifted)
    context = {"page": page, "rows": rows, "form": form, "lifted": lifted}
    return render(request, "retention/holds.html", context)


@allow_if(permissions.can_review_retention)
@never_cache
@require_http_methods(["GET", "POST"])
def lift(request, pk):
    """One legal hold, and the form to lift it with a reason."""
    hold = get_object_or_404(selectors.visible_holds(request.user), pk=pk)
    form = LiftForm(request.POST or None) if hold.is_active else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.lift_hold(hold, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Legal hold on {hold.reference or 'the record'} lifted.")
            return redirect("retention:holds")
    record(by=request.user, action="retention.hold_viewed", target=hold)
    return render(request, "retention/hold_lift.html", {"hold": hold, "form": form})


@allow_if(permissions.can_manage_rules)
@never_cache
@require_GET
def rules(request):
    """The retention schedule: each rule's period (no records, so administrators may see it too)."""
    return render(request, "retention/rules.html", {"rules": list(selectors.visible_rules(request.user))})


@allow_if(permissions.can_manage_rules)
@never_cache
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk):
    """Change one rule's periods; the change is audited with the values before and after."""
    rule = get_object_or_404(selectors.visible_rules(request.user), pk=pk)
    initial = {"period": rule.period, "unit": rule.unit, "under_18_period": rule.under_18_period or ""}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_rule(rule, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Rule for {rule.get_key_display().lower()} saved.")
            return redirect("retention:rules")
    return render(request, "retention/rule_form.html", {"rule": rule, "form": form})
