"""What a user may do with referrals and advice requests. Reads only the user and the object."""

from accounts.models import Organisation


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
