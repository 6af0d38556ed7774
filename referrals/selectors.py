"""Every read of referrals, attachments and advice requests starts here."""

from django.db.models import Count, Q, QuerySet

from referrals import permissions
from referrals.models import AdviceRequest, Attachment, Referral, ReferralLink


def visible_referrals(user) -> QuerySet[Referral]:
    """Return the referrals this user may open: the team sees submitted ones, partners their organisation's."""
    referrals = Referral.objects.select_related("organisation", "concern_type", "author")
    own_drafts = Q(status=Referral.Status.DRAFT, author=user)
    if permissions.can_receive_referrals(user):
        return referrals.filter(~Q(status=Referral.Status.DRAFT) | own_drafts)
    if permissions.can_submit_referrals(user):
        return referrals.filter(
            (~Q(status=Referral.Status.DRAFT) & Q(organisation_id=user.organisation_id)) | own_drafts
        )
    return referrals.none()


def own_drafts(user) -> QuerySet[Referral]:
    """Return the drafts this user is writing."""
    return Referral.objects.filter(status=Referral.Status.DRAFT, author=user).select_related("organisation")


def organisation_referrals(user) -> QuerySet[Referral]:
    """Return the submitted referrals of the user's organisation (what partners see in their list)."""
    return visible_referrals(user).exclude(status=Referral.Status.DRAFT).filter(organisation_id=user.organisation_id)


def received_referrals(user) -> QuerySet[Referral]:
    """Return submitted referrals for the Prevent team, with the number of possible repeats to check."""
    if not permissions.can_receive_referrals(user):
        return Referral.objects.none()
    return (
        visible_referrals(user)
        .exclude(status=Referral.Status.DRAFT)
        .annotate(repeats_to_check=Count("links", filter=Q(links__status=ReferralLink.Status.SUGGESTED)))
    )


def links_of(referral) -> QuerySet[ReferralLink]:
    """Return the possible and confirmed earlier referrals about the same person, best match first."""
    return (
        ReferralLink.objects.filter(referral=referral)
        .exclude(status=ReferralLink.Status.REJECTED)
        .select_related("earlier", "earlier__organisation", "decided_by")
    )


def visible_attachments(user) -> QuerySet[Attachment]:
    """Return the attachments whose content this user may download."""
    referrals = visible_referrals(user)
    if not permissions.can_receive_referrals(user):
        referrals = referrals.filter(author=user)
    return Attachment.objects.filter(referral__in=referrals.values("pk")).select_related("referral")


def visible_advice_requests(user) -> QuerySet[AdviceRequest]:
    """Return the advice requests this user may read: the team sees all, partners their organisation's."""
    requests = AdviceRequest.objects.select_related("organisation")
    if permissions.can_answer_advice(user):
        return requests
    if permissions.can_ask_advice(user):
        return requests.filter(organisation_id=user.organisation_id)
    return requests.none()
