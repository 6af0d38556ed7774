"""Submitted referrals: partners' lists and status, the Prevent team's list and full view, downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import allow_if
from audit.services import record, record_list
from cases import intake
from cases import selectors as case_selectors
from core.paging import page_of
from referrals import attachments, permissions, sections, selectors
from referrals.models import ReferralLink
from rights import selectors as rights_selectors


@allow_if(permissions.can_submit_referrals)
@require_GET
def referral_list(request):
    """A partner's drafts and their organisation's submitted referrals, with a limited status."""
    page = page_of(request, selectors.organisation_referrals(request.user).order_by("-submitted_at", "pk"))
    drafts = list(selectors.own_drafts(request.user).order_by("-updated_at")[:20])
    record_list(by=request.user, action="referral.list_viewed", targets=[*page, *drafts])
    return render(request, "referrals/referral_list.html", {"page": page, "drafts": drafts})


@allow_if(permissions.can_receive_referrals)
@require_GET
def received(request):
    """The Prevent team's list of submitted referrals: what triage needs, no free text."""
    referrals = selectors.visible_received_referrals(request.user).order_by("-submitted_at", "pk")
    page = page_of(request, referrals)
    record_list(by=request.user, action="referral.list_viewed", targets=page)
    return render(request, "referrals/received.html", {"page": page})


@allow_if(permissions.can_see_referrals)
@never_cache
@require_GET
def detail(request, pk):
    """A referral as the user may see it: the team in full, the author their answers, colleagues the status."""
    referral = get_object_or_404(selectors.visible_referrals(request.user), pk=pk)
    if referral.is_draft:
        return redirect("referrals:check", pk=referral.pk)
    full = permissions.can_read_answers(request.user, referral)
    # Opened under a break-glass grant on its case: the event names the grant, as the case page does.
    why = case_selectors.break_glass_details(request.user, referral.case)
    record(by=request.user, action="referral.viewed", target=referral, answers=full, **why)
    context = {"referral": referral, "full": full, "police": permissions.can_receive_referrals(request.user)}
    if context["police"]:
        # The police see the person as corrected (rectification); the referrer keeps seeing what they wrote.
        corrections = list(rights_selectors.rectifications(referral.case_id)) if referral.case_id else []
        referral.answers = rights_selectors.police_answers(referral, corrections)  # for this page only, never saved
        context["corrections"] = corrections
        restricted = referral.restricted_at is not None
        context["restriction"] = rights_selectors.restriction_in_force(referral.case) if restricted else None
    if full:
        context["summaries"] = sections.summaries(referral)
        context["files"] = referral.attachments.all()
    if context["police"]:
        context["links"] = links = list(selectors.links_of(referral, request.user))
        context["decidable"] = {link.pk for link in links if permissions.can_decide_link(request.user, link)}
    return render(request, "referrals/detail.html", context)


@allow_if(permissions.can_see_referrals)
@never_cache
@require_GET
def download(request, pk):
    """Send an attachment as a download (never shown inline), to those who may read the referral."""
    attachment = get_object_or_404(selectors.visible_attachments(request.user), pk=pk)
    file = attachments.open_stored(attachment.stored_name, f"Attachment {attachment.pk}")
    case = attachment.referral.case
    record(
        by=request.user,
        action="attachment.downloaded",
        target=attachment,
        case=case,
        referral_id=str(attachment.referral_id),
        **case_selectors.break_glass_details(request.user, case),
    )
    return attachments.download_response(file, filename=attachment.original_name, content_type=attachment.content_type)


@allow_if(permissions.can_decide_links)
@require_POST
def decide_link(request, pk):
    """Confirm or reject a possible repeat referral."""
    link = get_object_or_404(ReferralLink.objects.filter(referral__in=selectors.visible_referrals(request.user)), pk=pk)
    same = request.POST.get("same_person")
    if same not in ("yes", "no"):
        messages.info(request, "Choose whether it is the same person.")
    else:
        try:
            intake.decide_link(link, by=request.user, same_person=same == "yes")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Linked as the same person." if same == "yes" else "Marked as not the same person."
            )
    return redirect("referrals:detail", pk=link.referral_id)
