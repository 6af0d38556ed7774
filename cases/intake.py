"""Crossing from a referral to a case, in one place on the cases side: submitting a referral opens its case,
an officer decides whether a possible repeat is the same person, and a repeat joins the earlier case (merge).

The referrals app knows nothing of cases: its services do the referral's half of each step, and these
functions put the halves together in one transaction, in the order the audit trail has always shown.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases import permissions
from cases.models import Case
from cases.services import merge, open_case
from referrals import permissions as referral_permissions
from referrals import services as referral_services
from referrals.models import Referral, ReferralLink


@transaction.atomic
def submit_referral(referral: Referral, *, by: User) -> Referral:
    """Submit a complete draft: give it a reference, open its case, link possible repeats, tell the Prevent team."""
    referral = referral_services.receive_referral(referral, by=by)
    open_case(referral, by=by)
    return referral_services.link_repeats_and_announce(referral, by=by)


@transaction.atomic
def decide_link(link: ReferralLink, *, by: User, same_person: bool) -> ReferralLink:
    """Record the officer's decision on a possible repeat referral; a later decision replaces it."""
    if not referral_permissions.can_decide_links(by):
        raise PermissionDenied
    link = ReferralLink.objects.select_for_update(of=("self",)).select_related("referral__case").get(pk=link.pk)
    # A decision is a write on the later referral's case: its caseload only (a break-glass grant only reads).
    if link.referral.case is not None and not permissions.can_open(by, link.referral.case):
        raise PermissionDenied
    # Combining a record with a restricted one is using it: only a supervisor, who may open it, decides.
    restricted = link.earlier.restricted_at is not None or link.referral.restricted_at is not None
    if restricted and not permissions.can_supervise(by):
        raise ValidationError("One of these referrals is restricted: ask a supervisor to decide the link.")
    link.status = ReferralLink.Status.CONFIRMED if same_person else ReferralLink.Status.REJECTED
    link.decided_by = by
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        by=by,
        action="referral.link_confirmed" if same_person else "referral.link_rejected",
        target=link.referral,
        earlier_id=str(link.earlier_id),
    )
    later, earlier = link.referral.case, link.earlier.case
    # A new case about someone with an open case joins it; a closed one stays linked, for a review to decide.
    if (
        same_person
        and later is not None
        and earlier is not None
        and later.pk != earlier.pk
        and later.status == Case.Status.NEW
        and earlier.status not in (Case.Status.CLOSED, Case.Status.MERGED)
        # A restricted case is kept but not used: the link stands, nothing joins it until it is lifted.
        and earlier.restricted_at is None
    ):
        merge(later, into=earlier, by=by)
    return link
