"""The referral form: start, question pages, attachments, check your answers, submit, delete a draft."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import allow_if
from accounts.kept import keeps_typed_work
from audit.services import record
from cases import intake
from cases import selectors as case_selectors
from referrals import permissions, sections, selectors, services
from referrals.forms import OnBehalfForm, UploadForm
from referrals.models import Referral


def _gone_is_404(view):
    """A draft deleted or sent meanwhile (services.DraftGone) is not found, as it would be on a fresh page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.DraftGone:
            raise Http404 from None

    return wrapped


def _draft(request, pk) -> Referral:
    return get_object_or_404(selectors.own_drafts(request.user), pk=pk)


def _page(slug):
    return sections.BY_SLUG.get(slug)


@allow_if(permissions.can_start_referral)
@require_http_methods(["GET", "POST"])
def start(request):
    """Say when to call 999 instead, then open a draft."""
    if request.method == "POST":
        if not permissions.can_submit_referrals(request.user):
            return redirect("referrals:start_on_behalf")
        referral = services.start_referral(by=request.user)
        return redirect("referrals:section", pk=referral.pk, section=sections.SECTIONS[0].slug)
    return render(request, "referrals/start.html", {"drafts": selectors.own_drafts(request.user)[:5]})


@keeps_typed_work
@allow_if(permissions.can_enter_for_partners)
@require_http_methods(["GET", "POST"])
def start_on_behalf(request):
    """An officer records a referral a partner gave by phone or email."""
    form = OnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = services.start_referral(by=request.user, **form.cleaned_data)
        return redirect("referrals:section", pk=referral.pk, section=sections.SECTIONS[0].slug)
    return render(request, "referrals/start_on_behalf.html", {"form": form})


@keeps_typed_work
@allow_if(permissions.can_start_referral)
@require_http_methods(["GET", "POST"])
@_gone_is_404
def section(request, pk, section):
    """One question page of a draft: shows what was saved, saves what is valid, keeps what was typed."""
    referral, page = _draft(request, pk), _page(section)
    if page is None:
        return render(request, "pages/404.html", status=404)
    if page.repeatable:
        return _repeatable(request, referral, page)
    form = page.form(request.POST or None, initial=page.form.from_json(services.prefill(referral, page.slug)))
    if request.method == "POST" and form.is_valid():
        services.save_section(referral, by=request.user, slug=page.slug, data=form.cleaned_data)
        return redirect(_after_save(request, referral, page.slug))
    if request.method == "GET":
        record(by=request.user, action="referral.draft_viewed", target=referral, section=page.slug)
    return render(request, "referrals/question.html", _context(referral, page, form))


def _after_save(request, referral, slug) -> str:
    if request.GET.get("return") == "check":
        return reverse("referrals:check", args=[referral.pk])
    following = sections.next_slug(slug)
    if following == sections.ATTACHMENTS:
        return reverse("referrals:attachments", args=[referral.pk])
    return reverse("referrals:section", args=[referral.pk, following])


def _context(referral, page, form, **extra):
    previous = sections.previous_slug(page.slug)
    back = reverse("referrals:section", args=[referral.pk, previous]) if previous else reverse("referrals:start")
    steps = [section.slug for section in sections.SECTIONS]
    return {
        "referral": referral,
        "page": page,
        "form": form,
        "back": back,
        "step": steps.index(page.slug) + 1,
        "steps": len(steps) + 2,
        **extra,
    }


def _repeatable(request, referral, page):
    form = page.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_item(referral, by=request.user, slug=page.slug, data=form.cleaned_data)
        messages.success(request, "Added.")
        return redirect("referrals:section", pk=referral.pk, section=page.slug)
    # The page shows what was saved: every showing is audited, after a failed POST too.
    record(by=request.user, action="referral.draft_viewed", target=referral, section=page.slug)
    items = [
        {"index": index, "rows": sections.summary(page, [item]), "fingerprint": services.fingerprint(item)}
        for index, item in enumerate(referral.answers.get(page.slug, []))
    ]
    return render(
        request,
        "referrals/question_repeatable.html",
        _context(referral, page, form, items=items, next_url=_after_save(request, referral, page.slug)),
    )


@allow_if(permissions.can_start_referral)
@require_POST
@_gone_is_404
def remove_item(request, pk, section, index):
    referral, page = _draft(request, pk), _page(section)
    if page is None or not page.repeatable:
        return render(request, "pages/404.html", status=404)
    try:
        services.remove_item(
            referral, by=request.user, slug=page.slug, index=index, item_fingerprint=request.POST.get("item", "")
        )
    except ValidationError as error:
        messages.info(request, error.messages[0])
    return redirect("referrals:section", pk=referral.pk, section=page.slug)


@allow_if(permissions.can_start_referral)
@require_http_methods(["GET", "POST"])
@_gone_is_404
def attachments(request, pk):
    """Add documents or screenshots to the draft; each file is checked by its content."""
    referral = _draft(request, pk)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            added = services.add_attachments(referral, by=request.user, files=form.cleaned_data["files"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("files", message)
        else:
            messages.success(request, f"{len(added)} file{'s' if len(added) != 1 else ''} added.")
            return redirect("referrals:attachments", pk=referral.pk)
    record(by=request.user, action="referral.draft_viewed", target=referral, section="attachments")
    context = {
        "referral": referral,
        "form": form,
        "files": referral.attachments.all(),
        "back": reverse("referrals:section", args=[referral.pk, sections.SECTIONS[-1].slug]),
        "next_url": reverse("referrals:check", args=[referral.pk]),
    }
    return render(request, "referrals/attachments.html", context)


@allow_if(permissions.can_start_referral)
@require_POST
@_gone_is_404
def remove_attachment(request, pk, attachment):
    referral = _draft(request, pk)
    services.remove_attachment(get_object_or_404(referral.attachments, pk=attachment), by=request.user)
    messages.success(request, "File removed.")
    return redirect("referrals:attachments", pk=referral.pk)


@allow_if(permissions.can_start_referral)
@require_http_methods(["GET", "POST"])
@_gone_is_404
def check(request, pk):
    """Show every answer with a way to change it, then submit."""
    sent = (
        selectors.visible_referrals(request.user)
        .filter(pk=pk, author=request.user)
        .exclude(status=Referral.Status.DRAFT)
    )
    if sent.exists():  # sent from another tab meanwhile
        return redirect("referrals:submitted", pk=pk)
    referral = _draft(request, pk)
    errors = []
    if request.method == "POST":
        try:
            intake.submit_referral(referral, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("referrals:submitted", pk=referral.pk)
    record(by=request.user, action="referral.draft_viewed", target=referral, section="check")
    context = {
        "referral": referral,
        "summaries": sections.summaries(referral),
        "files": referral.attachments.all(),
        "errors": errors,
        "back": reverse("referrals:attachments", args=[referral.pk]),
    }
    return render(request, "referrals/check.html", context)


@allow_if(permissions.can_start_referral)
@require_GET
def submitted(request, pk):
    """The acknowledgement: the reference number and what happens next."""
    referral = get_object_or_404(
        selectors.visible_referrals(request.user).exclude(status=Referral.Status.DRAFT), pk=pk, author=request.user
    )
    why = case_selectors.break_glass_details(request.user, referral.case)
    record(by=request.user, action="referral.acknowledgement_viewed", target=referral, **why)
    return render(request, "referrals/submitted.html", {"referral": referral})


@allow_if(permissions.can_start_referral)
@require_http_methods(["GET", "POST"])
@_gone_is_404
def delete_draft(request, pk):
    referral = _draft(request, pk)
    if request.method == "POST":
        services.delete_draft(referral, by=request.user)
        messages.success(request, "Your draft has been deleted.")
        return redirect("referrals:list")
    return render(request, "referrals/delete_draft.html", {"referral": referral})
