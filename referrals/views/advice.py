"""Asking the Prevent team for advice, and the team's answers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import limits
from accounts.access import allow_if
from accounts.kept import keeps_typed_work
from audit.services import record, record_list
from core.paging import page_of
from referrals import advice, permissions, sections, selectors
from referrals.forms import AdviceForm, AdviceReplyForm, PhoneAdviceForm


def _can_use_advice(user):
    return permissions.can_ask_advice(user) or permissions.can_answer_advice(user)


@allow_if(_can_use_advice)
@require_GET
def advice_list(request):
    page = page_of(request, selectors.visible_advice_requests(request.user).order_by("-updated_at", "pk"))
    record_list(by=request.user, action="advice.list_viewed", targets=page)
    return render(request, "referrals/advice_list.html", {"page": page})


@keeps_typed_work
@allow_if(permissions.can_ask_advice)
@require_http_methods(["GET", "POST"])
def advice_new(request):
    form = AdviceForm(request.POST or None)
    # Each question e-mails the team: a user past the limit keeps what they wrote, unsent.
    refusal = limits.check(request, "advice_messages") if request.method == "POST" and form.is_valid() else None
    if request.method == "POST" and form.is_valid() and refusal is None:
        item = advice.ask_advice(by=request.user, question=form.cleaned_data["question"])
        messages.success(request, f"Sent. Your reference is {item.reference}. The Prevent team will reply here.")
        return redirect("referrals:advice_detail", pk=item.pk)
    response = render(request, "referrals/advice_new.html", {"form": form, "rate_limited": refusal})
    return limits.too_many(response, refusal)


@allow_if(permissions.can_answer_advice)
@require_http_methods(["GET", "POST"])
def advice_phone(request):
    form = PhoneAdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = advice.log_phone_advice(by=request.user, **form.cleaned_data)
        messages.success(request, f"Advice recorded as {item.reference}.")
        return redirect("referrals:advice_detail", pk=item.pk)
    return render(request, "referrals/advice_phone.html", {"form": form})


@allow_if(_can_use_advice)
@require_http_methods(["GET", "POST"])
def advice_detail(request, pk):
    item = get_object_or_404(selectors.visible_advice_requests(request.user), pk=pk)
    form = AdviceReplyForm(request.POST or None)
    # Each reply e-mails the other side: a user past the limit keeps what they wrote, unsent.
    refusal = limits.check(request, "advice_messages") if request.method == "POST" and form.is_valid() else None
    if request.method == "POST" and form.is_valid() and refusal is None:
        try:
            advice.reply(item, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Reply sent.")
            return redirect("referrals:advice_detail", pk=item.pk)
    record(by=request.user, action="advice.viewed", target=item)
    context = {
        "item": item,
        "conversation": item.messages.select_related("author"),
        "form": form,
        "actions": permissions.advice_actions(request.user, item, referral_started=item.referrals.exists()),
        "first_section": sections.SECTIONS[0].slug,
        "rate_limited": refusal,
    }
    response = render(request, "referrals/advice_detail.html", context)
    return limits.too_many(response, refusal)


@allow_if(permissions.can_answer_advice)
@require_POST
def advice_close(request, pk):
    item = get_object_or_404(selectors.visible_advice_requests(request.user), pk=pk)
    advice.close(item, by=request.user)
    messages.success(request, "Closed.")
    return redirect("referrals:advice_detail", pk=item.pk)


@allow_if(permissions.can_answer_advice)
@require_POST
def advice_ask_referral(request, pk):
    item = get_object_or_404(selectors.visible_advice_requests(request.user), pk=pk)
    try:
        advice.ask_for_referral(item, by=request.user)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, "The partner has been asked to complete a referral.")
    return redirect("referrals:advice_detail", pk=item.pk)


@allow_if(permissions.can_ask_advice)
@require_POST
def advice_start_referral(request, pk):
    item = get_object_or_404(selectors.visible_advice_requests(request.user), pk=pk)
    referral = advice.start_referral_from_advice(item, by=request.user)
    if not referral.is_draft:
        return redirect("referrals:detail", pk=referral.pk)
    return redirect("referrals:section", pk=referral.pk, section=sections.SECTIONS[0].slug)
