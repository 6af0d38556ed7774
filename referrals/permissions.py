"""What a user may do with referrals and advice requests. Reads only the user and the object."""

from dataclasses import dataclass

from accounts.models import Organisation
from referrals.models import AdviceRequest, ReferralLink


def can_submit_referrals(user) -> bool:
    """Referrers in a partner organisation (never the police) submit referrals and ask for advice."""
    return (
        user.is_authenticated
        and user.has_perm("referrals.submit_referrals")
        and user.organisation.kind != Organisation.Kind.POLICE_PREVENT
    )


def can_enter_for_partners(user) -> bool:
    """Officers record referrals a partner gave by phone or email."""
    return user.is_authenticated and user.has_perm("referrals.enter_referrals_for_partners")


def can_start_referral(user) -> bool:
    return can_submit_referrals(user) or can_enter_for_partners(user)


def can_receive_referrals(user) -> bool:
    """The Prevent team reads submitted referrals in full."""
    return user.is_authenticated and user.has_perm("referrals.receive_referrals")


def can_edit_draft(user, referral) -> bool:
    """Only a draft's author fills it in, submits it or deletes it."""
    return referral.is_draft and referral.author_id == user.pk


def can_read_answers(user, referral) -> bool:
    """The answers open to the Prevent team and to the person who wrote them, not their colleagues."""
    return referral.author_id == user.pk or (not referral.is_draft and can_receive_referrals(user))


def can_decide_links(user) -> bool:
    return can_receive_referrals(user)


def can_answer_advice(user) -> bool:
    return user.is_authenticated and user.has_perm("referrals.answer_advice")


def can_ask_advice(user) -> bool:
    return can_submit_referrals(user)


def can_see_referrals(user) -> bool:
    """Partners and the Prevent team; never administrators, providers or panel members (not yet)."""
    return can_receive_referrals(user) or can_submit_referrals(user)


def can_reply_advice(user, item) -> bool:
    """Either side writes to an advice request until the team closes it (it is already one they may see)."""
    return item.status != AdviceRequest.Status.CLOSED


def can_close_advice(user, item) -> bool:
    """The team closes an advice request that is still open."""
    return can_answer_advice(user) and item.status != AdviceRequest.Status.CLOSED


def can_ask_for_referral(user, item) -> bool:
    """The team asks the partner who wrote in (not a phone call) to make a referral, once."""
    waiting = item.status not in (AdviceRequest.Status.CLOSED, AdviceRequest.Status.REFERRAL_ASKED)
    return can_answer_advice(user) and waiting and item.asked_by_id is not None


def is_asked_to_refer(user, item) -> bool:
    """The partner who asked is told the team wants a referral from them."""
    return not can_answer_advice(user) and item.status == AdviceRequest.Status.REFERRAL_ASKED


def can_start_referral_from_advice(user, item, *, started: bool) -> bool:
    """The partner asked to refer starts that referral once (`started`: one exists already)."""
    return is_asked_to_refer(user, item) and item.asked_by_id == user.pk and not started


@dataclass(frozen=True)
class AdviceActions:
    """What an advice request's page offers this user: each flag one form or button, decided here."""

    asked_to_refer: bool = False
    start_referral: bool = False
    reply: bool = False
    ask_for_referral: bool = False
    close: bool = False


def advice_actions(user, item, *, referral_started: bool) -> AdviceActions:
    """Return what the advice request's page offers this user, from the `can_*` rules the services enforce."""
    return AdviceActions(
        asked_to_refer=is_asked_to_refer(user, item),
        start_referral=can_start_referral_from_advice(user, item, started=referral_started),
        reply=can_reply_advice(user, item),
        ask_for_referral=can_ask_for_referral(user, item),
        close=can_close_advice(user, item),
    )


def can_decide_link(user, link) -> bool:
    """The team confirms or rejects a suggested repeat link; a decided one stays as decided."""
    return can_decide_links(user) and link.status == ReferralLink.Status.SUGGESTED
