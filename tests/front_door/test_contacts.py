"""The team's handling of contacts from the public: read (audited), reply, close, record as a referral."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from audit.models import AuditEvent
from front_door import services
from front_door.models import PublicContact
from referrals.models import Referral
from referrals.services import prefill

pytestmark = pytest.mark.django_db


def contact(**fields):
    return services.receive_contact(
        challenge_passed=True, relationship="family", concern="My brother has changed.", **fields
    )


def test_the_list_shows_waiting_contacts_in_a_fixed_number_of_queries(signed_in, django_assert_num_queries):
    client = signed_in(Role.PREVENT_OFFICER)
    contact()
    client.get(reverse("public:contacts"))  # warm the session and permission caches
    with django_assert_num_queries(7) as few:
        client.get(reverse("public:contacts"))
    for _ in range(30):
        contact()
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("public:contacts"))
    assert page.content.decode().count("(anonymous)") == 31
    event = AuditEvent.objects.filter(action="public.contact_list_viewed").latest("pk")
    assert len(event.details["ids"]) == 31


def test_reading_a_contact_is_audited_and_shows_what_was_sent(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    item = contact(sender_email="sam@example.org", person_name="Rowan")
    page = client.get(reverse("public:contact", args=[item.pk])).content.decode()
    assert "My brother has changed." in page and "sam@example.org" in page and "Rowan" in page
    assert AuditEvent.objects.filter(action="public.contact_viewed", target_id=str(item.pk)).exists()


def test_a_reply_is_recorded_and_an_anonymous_sender_cannot_be_phoned(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    anonymous, known = contact(), contact(sender_phone="07700 900123")
    refused = client.post(reverse("public:contact", args=[anonymous.pk]), {"how": "phone", "body": "Called."})
    assert refused.status_code == 200 and "record a note instead" in refused.content.decode()
    assert "Called." in refused.content.decode()  # kept
    done = client.post(reverse("public:contact", args=[known.pk]), {"how": "phone", "body": "Gave advice."})
    assert done.status_code == 302
    known.refresh_from_db()
    assert known.status == PublicContact.Status.REPLIED and known.replies.get().body == "Gave advice."
    assert AuditEvent.objects.filter(action="public.contact_replied", details__how="phone").count() == 1
    empty = client.post(reverse("public:contact", args=[known.pk]), {"how": "", "body": ""})
    assert "Select how you replied" in empty.content.decode() and "Enter what you told them" in empty.content.decode()


def test_closing_ends_replies(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    item = contact()
    assert client.post(reverse("public:contact_close", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == PublicContact.Status.CLOSED and item.closed_at
    page = client.get(reverse("public:contact", args=[item.pk])).content.decode()
    assert "Save reply" not in page and "Record as a referral" not in page


def test_recording_a_referral_for_the_public_counts_it_under_the_community_sector(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    item = contact()
    response = client.post(reverse("public:contact_referral", args=[item.pk]))
    referral = Referral.objects.get()
    assert response.status_code == 302 and str(referral.pk) in response["Location"]
    assert referral.channel == Referral.Channel.PUBLIC and referral.entered_by_police
    assert referral.organisation.kind == Organisation.Kind.PUBLIC
    assert referral.organisation.sector == Organisation.Sector.COMMUNITY
    assert prefill(referral, "concerns") == {"concerns": "My brother has changed."}
    item.refresh_from_db()
    assert item.status == PublicContact.Status.REFERRED and item.referral == referral
    client.post(reverse("public:contact_referral", args=[item.pk]))  # twice: still one referral
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(action="public.contact_referred").count() == 1


def test_no_account_can_join_the_public_organisation():
    organisation = services.public_organisation()
    assert organisation.allowed_roles == []


def test_the_officers_home_page_counts_the_waiting_contacts(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    contact(), contact()
    services.close(contact(), by=client.user)
    page = client.get(reverse("pages:home")).content.decode()
    assert '<span class="app-waiting__count">2</span> contacts from the public waiting' in page
    assert reverse("public:contacts") in page
