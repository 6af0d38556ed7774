"""Who may handle contacts from the public: the Prevent team, who answer advice."""

from accounts.models import User


def can_handle_contacts(user: User) -> bool:
    return user.is_authenticated and user.has_perm("referrals.answer_advice")


def can_record_referral(user: User) -> bool:
    return can_handle_contacts(user) and user.has_perm("referrals.enter_referrals_for_partners")


def contact_actions(user: User, contact) -> dict:
    """The buttons of a contact's page."""
    from front_door.models import PublicContact

    open_ = contact.status not in (PublicContact.Status.CLOSED, PublicContact.Status.REFERRED)
    return {
        "reply": can_handle_contacts(user) and open_,
        "close": can_handle_contacts(user) and open_,
        "record_referral": can_record_referral(user) and contact.referral_id is None and open_,
    }
