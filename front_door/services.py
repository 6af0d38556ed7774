"""Writes for contacts from the public: received through the form, replied to, closed, or recorded as a referral."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import record
from core.references import new_reference
from front_door import permissions
from front_door.models import ContactReply, PublicContact
from notifications.models import Notification
from notifications.services import notify, prevent_team
from referrals.models import Referral
from referrals.services import start_referral

CLOSED = (PublicContact.Status.CLOSED, PublicContact.Status.REFERRED)
FIELDS = (
    "relationship",
    "relationship_other",
    "concern",
    "sender_name",
    "sender_email",
    "sender_phone",
    "person_name",
    "person_age",
    "person_area",
)


def _locked(contact: PublicContact) -> PublicContact:
    return PublicContact.objects.select_for_update().get(pk=contact.pk)


def _open(contact: PublicContact) -> None:
    if contact.status in CLOSED:
        raise ValidationError("This contact is closed.")


@transaction.atomic
def receive_contact(*, challenge_passed: bool, **fields) -> PublicContact:
    """Keep what a member of the public sent and tell the team (the reference only: nothing of the concern)."""
    contact = PublicContact.objects.create(
        reference=new_reference("PU", PublicContact),
        challenge_passed=challenge_passed,
        **{name: fields.get(name, "") for name in FIELDS},
    )
    record(by=None, action="public.contact_received", target=contact, challenge_passed=challenge_passed)
    link = reverse("public:contact", args=[contact.pk])
    transaction.on_commit(
        lambda: notify(prevent_team(), kind=Notification.Kind.PUBLIC_CONTACT, reference=contact.reference, link=link)
    )
    return contact


@transaction.atomic
def reply(contact: PublicContact, *, by: User, how: str, body: str) -> ContactReply:
    """Record how the team answered (a call, an e-mail sent from the team's mailbox, a visit)."""
    if not permissions.can_handle_contacts(by):
        raise PermissionDenied
    contact = _locked(contact)
    _open(contact)
    if contact.anonymous and how in (ContactReply.How.PHONE, ContactReply.How.EMAIL):
        raise ValidationError("They left no way to contact them: record a note instead.")
    answer = ContactReply.objects.create(contact=contact, author=by, how=how, body=body)
    contact.status = PublicContact.Status.REPLIED
    contact.save(update_fields=["status", "updated_at"])
    record(by=by, action="public.contact_replied", target=contact, how=how)
    return answer


@transaction.atomic
def close(contact: PublicContact, *, by: User) -> PublicContact:
    if not permissions.can_handle_contacts(by):
        raise PermissionDenied
    contact = _locked(contact)
    _open(contact)
    contact.status, contact.closed_at = PublicContact.Status.CLOSED, timezone.now()
    contact.save(update_fields=["status", "closed_at", "updated_at"])
    record(by=by, action="public.contact_closed", target=contact)
    return contact


def public_organisation() -> Organisation:
    """The organisation referrals from members of the public are recorded under (sector: community)."""
    organisation, _ = Organisation.objects.get_or_create(
        name=settings.PUBLIC_REFERRALS_ORGANISATION,
        defaults={"kind": Organisation.Kind.PUBLIC, "sector": Organisation.Sector.COMMUNITY},
    )
    return organisation


@transaction.atomic
def record_referral(contact: PublicContact, *, by: User) -> Referral:
    """An officer starts a referral on the public's behalf, the concern carried in; once per contact."""
    if not permissions.can_record_referral(by):
        raise PermissionDenied
    contact = _locked(contact)
    if contact.referral is not None:
        return contact.referral
    _open(contact)
    prefill = {"concerns": {"concerns": contact.concern}}
    referral = start_referral(
        by=by, organisation=public_organisation(), channel=Referral.Channel.PUBLIC, prefill=prefill
    )
    contact.referral, contact.status = referral, PublicContact.Status.REFERRED
    contact.closed_at = timezone.now()
    contact.save(update_fields=["referral", "status", "closed_at", "updated_at"])
    record(by=by, action="public.contact_referred", target=contact, referral_id=str(referral.pk))
    return referral
