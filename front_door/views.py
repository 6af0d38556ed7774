"""The public front door (no sign-in) and the team's handling of what the public sends.

Public pages carry `@login_not_required`; the team's pages are for those who answer advice (the Prevent team).
The "get in touch" form resists abuse without a third party: a proof-of-work check (public/challenge.py), a
honeypot field, rate limits per address and for the whole service (tighter without the check), size limits and
no attachments. Its reference is shown from the session, never put in the URL.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import limits
from accounts.access import allow_if
from audit.services import record, record_list
from core.paging import page_of
from front_door import challenge, permissions, selectors, services
from front_door.forms import ContactForm, ReplyForm
from front_door.models import PublicContact
from referrals import sections

SENT = "public_contact_sent"
CHECK_FAILED = "The automatic check that you are not a computer program did not work. Send the form again."


def _page(template):
    @login_not_required
    @require_GET
    def view(request):
        return render(request, f"public/{template}.html")

    return view


worried = _page("worried")
advice = _page("advice")
community = _page("community")
privacy = _page("privacy")


@login_not_required
@never_cache
@require_GET
def challenge_json(request):
    """A fresh proof-of-work challenge for the form's widget."""
    return JsonResponse(challenge.new_challenge())


def _refusal(request, checked: bool):
    address = str(request.audit_context.ip_address)
    refusal = limits.check(request, "public_contact_all", key="all") or limits.check(
        request, "public_contact_address", key=address
    )
    if refusal is None and not checked:
        refusal = limits.check(request, "public_contact_unchecked", key=address)
    if refusal is None:
        return None
    message = (
        "Your message was not sent: too many messages have been sent from here in a short time. "
        f"Try again after {refusal.retry_at}, or call 101 and ask for the Prevent team."
    )
    return dataclasses.replace(refusal, message=message)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_form(request):
    """Tell the Prevent team about someone you are worried about: anonymous unless you give contact details."""
    form = ContactForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            record(by=None, action="public.contact_refused", why="honeypot")
            request.session[SENT] = ""
            return redirect("public:sent")
        result = challenge.check(form.cleaned_data["altcha"])
        if result == challenge.Result.REFUSED:
            record(by=None, action="public.contact_refused", why="challenge")
            form.add_error(None, CHECK_FAILED)
        else:
            refusal = _refusal(request, checked=result == challenge.Result.SOLVED)
            if refusal is None:
                sent = services.receive_contact(
                    challenge_passed=result == challenge.Result.SOLVED, **form.contact_fields()
                )
                request.session[SENT] = sent.reference
                return redirect("public:sent")
    response = render(request, "public/contact_form.html", {"form": form, "rate_limited": refusal})
    return limits.too_many(response, refusal)


@login_not_required
@never_cache
@require_GET
def sent(request):
    """What happens next, with the reference (kept in the session once, not in the address)."""
    if SENT not in request.session:
        return redirect("public:contact_form")
    return render(request, "public/sent.html", {"reference": request.session.pop(SENT)})


@allow_if(permissions.can_handle_contacts)
@require_GET
def contacts(request):
    """The team's list of contacts from the public, newest first, waiting ones by default."""
    status = request.GET.get("status", PublicContact.Status.NEW)
    items = selectors.visible_public_contacts(request.user)
    if status in PublicContact.Status.values:
        items = items.filter(status=status)
    else:
        status = ""
    page = page_of(request, items.order_by("-received_at", "pk"))
    record_list(by=request.user, action="public.contact_list_viewed", targets=page)
    context = {"page": page, "status": status, "statuses": PublicContact.Status.choices}
    return render(request, "public/contacts.html", context)


@allow_if(permissions.can_handle_contacts)
@require_http_methods(["GET", "POST"])
def contact(request, pk):
    item = get_object_or_404(selectors.visible_public_contacts(request.user), pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply(item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Reply recorded.")
            return redirect("public:contact", pk=item.pk)
    record(by=request.user, action="public.contact_viewed", target=item)
    context = {
        "item": item,
        "replies": item.replies.select_related("author"),
        "form": form,
        "actions": permissions.contact_actions(request.user, item),
    }
    return render(request, "public/contact.html", context)


@allow_if(permissions.can_handle_contacts)
@require_POST
def contact_close(request, pk):
    item = get_object_or_404(selectors.visible_public_contacts(request.user), pk=pk)
    try:
        services.close(item, by=request.user)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, f"{item.reference} closed.")
    return redirect("public:contact", pk=item.pk)


@allow_if(permissions.can_record_referral)
@require_POST
def contact_referral(request, pk):
    """Start a referral on the public's behalf, the concern carried in, and go to its first question."""
    item = get_object_or_404(selectors.visible_public_contacts(request.user), pk=pk)
    try:
        referral = services.record_referral(item, by=request.user)
    except ValidationError as error:
        messages.info(request, error.messages[0])
        return redirect("public:contact", pk=item.pk)
    if not referral.is_draft:
        return redirect("referrals:detail", pk=referral.pk)
    return redirect("referrals:section", pk=referral.pk, section=sections.SECTIONS[0].slug)
