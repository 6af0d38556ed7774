"""Every read of referrals, attachments and advice requests starts here."""

from django.db.models import Count, Q, QuerySet

from referrals import permissions
from referrals.models import AdviceRequest, Attachment, Referral, ReferralLink


def visible_referrals(user) -> QuerySet[Referral]:
    """Return the referrals this user may open: the team sees submitted ones, partners their organisation's."""
    from cases.selectors import visible_openable_cases

    referrals = Referral.objects.select_related("organisation", "concern_type", "author")
    own_drafts = Q(status=Referral.Status.DRAFT, author=user)
    if permissions.can_receive_referrals(user):
        # Need to know: the team opens a referral only with its case (new ones, their own, or all for supervisors).
        sent = ~Q(status=Referral.Status.DRAFT) & Q(case__in=visible_openable_cases(user).values("pk"))
        return referrals.filter(sent | own_drafts)
    if permissions.can_submit_referrals(user):
        # A restricted referral is kept but not used: it opens to supervisors only, not to its referrer.
        sent = ~Q(status=Referral.Status.DRAFT) & Q(organisation_id=user.organisation_id, restricted_at__isnull=True)
        return referrals.filter(sent | own_drafts)
    return referrals.none()


def own_drafts(user) -> QuerySet[Referral]:
    """Return the drafts this user is writing."""
    return Referral.objects.filter(status=Referral.Status.DRAFT, author=user).select_related("organisation")


def organisation_referrals(user) -> QuerySet[Referral]:
    """Return the submitted referrals of the user's organisation (what partners see in their list)."""
    return visible_referrals(user).exclude(status=Referral.Status.DRAFT).filter(organisation_id=user.organisation_id)


def visible_received_referrals(user) -> QuerySet[Referral]:
    """Return submitted referrals' triage facts for the Prevent team, with the possible repeats to check.

    Restricted referrals are kept but not used: they leave this list (supervisors find them under rights).
    """
    if not permissions.can_receive_referrals(user):
        return Referral.objects.none()
    return (
        Referral.objects.select_related("organisation", "concern_type")
        .exclude(status=Referral.Status.DRAFT)
        .filter(restricted_at__isnull=True)
        .annotate(repeats_to_check=Count("links", filter=Q(links__status=ReferralLink.Status.SUGGESTED)))
    )


def links_of(referral, user) -> QuerySet[ReferralLink]:
    """Return the possible and confirmed earlier referrals about the same person that this user may open.

    Matching still links a new referral to a restricted one: the team is shown that it exists (its reference
    only, "restricted, ask a supervisor"), never its content, so a returning concern is not missed.
    """
    openable = Q(earlier__in=visible_referrals(user).values("pk"))
    if permissions.can_receive_referrals(user):
        openable |= Q(earlier__restricted_at__isnull=False)
    return (
        ReferralLink.objects.filter(openable, referral=referral)
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
    """Return the advice requests this user may read: the team sees all, a partner the ones they asked."""
    requests = AdviceRequest.objects.select_related("organisation")
    if permissions.can_answer_advice(user):
        return requests
    if permissions.can_ask_advice(user):
        return requests.filter(asked_by=user)
    return requests.none()
