"""The public "get in touch" form: what it keeps, what it refuses, and how it resists abuse."""

import base64
import json
import logging

import pytest
from altcha import solve_challenge_v1
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from front_door.models import PublicContact
from notifications.models import Notification

pytestmark = pytest.mark.django_db

CANARY = "Quillithorne-Maddox"
FORM = reverse("public:contact_form")


def solved() -> str:
    """Answer a challenge from the running service as the widget would: base64 JSON of the solution."""
    issued = Client().get(reverse("public:challenge")).json()
    solution = solve_challenge_v1(
        issued["challenge"], issued["salt"], issued["algorithm"], issued["maxNumber"], start=0
    )
    payload = {
        "algorithm": issued["algorithm"],
        "challenge": issued["challenge"],
        "number": solution.number,
        "salt": issued["salt"],
        "signature": issued["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def sent(client, **fields):
    data = {"concern": f"My friend {CANARY} talks about violence.", "relationship": "friend", **fields}
    return client.post(FORM, data)


@pytest.fixture
def team(make_user):
    from accounts.models import Role

    return make_user(Role.PREVENT_OFFICER)


def test_pages_say_999_and_101_and_use_the_forces_settings(client, settings):
    settings.FORCE_NAME, settings.FORCE_ADVICE_PHONE = "Mercia Police", "101 (option 3)"
    for name in ("public:worried", "public:advice", "public:community", "public:privacy", "public:contact_form"):
        page = client.get(reverse(name)).content.decode()
        assert "call 999" in page, name
        assert "101 (option 3)" in page, name
    worried = client.get(reverse("public:worried")).content.decode()
    assert "Mercia Police" in worried
    assert "https://www.gov.uk/report-terrorism" in worried and "0800 011 3764" in worried


def test_a_concern_sent_anonymously_lands_for_the_team_with_a_reference_and_no_content_elsewhere(
    client, team, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = sent(client, person_name=CANARY, person_age="15")
    assert response.status_code == 302 and response["Location"] == reverse("public:sent")
    contact = PublicContact.objects.get()
    assert contact.anonymous and not contact.challenge_passed and contact.person_age == "15"
    page = client.get(response["Location"]).content.decode()
    assert contact.reference in page and CANARY not in response["Location"]
    assert client.get(reverse("public:sent")).status_code == 302  # the reference is shown once
    event = AuditEvent.objects.get(action="public.contact_received")
    assert event.target_id == str(contact.pk) and CANARY not in json.dumps(event.details)
    notice = Notification.objects.get(recipient=team, kind=Notification.Kind.PUBLIC_CONTACT)
    assert notice.reference == contact.reference
    outgoing = [m.message().as_string() for m in mail.outbox]
    assert all(CANARY not in text for text in outgoing + [r.getMessage() for r in caplog.records])


def test_contact_details_are_kept_when_given(client):
    sent(client, sender_name="Pat", sender_email="pat@example.org", sender_phone="07700 900123")
    contact = PublicContact.objects.get()
    assert not contact.anonymous and contact.sender_email == "pat@example.org"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"concern": ""}, "Tell us what you are worried about"),
        ({"relationship": ""}, "Select who you are to the person"),
        ({"relationship": "other"}, "Tell us who you are to them"),
        ({"sender_email": "not an address"}, "Enter an email address in the correct format"),
        ({"concern": "x" * 5001}, "must be 5,000 characters or fewer"),
        ({"person_name": "y" * 201}, "Their name must be 200 characters or fewer"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, fields, message):
    response = sent(client, person_area="Northtown", **fields)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "govuk-error-summary" in page and 'value="Northtown"' in page
    assert not PublicContact.objects.exists()


def test_the_honeypot_stores_nothing_and_is_audited(client):
    response = sent(client, website="http://spam.example")
    assert response.status_code == 302 and not PublicContact.objects.exists()
    assert AuditEvent.objects.filter(action="public.contact_refused", details__why="honeypot").exists()
    assert "Your reference" not in client.get(reverse("public:sent")).content.decode()


def test_a_solved_challenge_is_accepted_once(client):
    payload = solved()
    assert sent(client, altcha=payload).status_code == 302
    assert PublicContact.objects.get().challenge_passed
    again = sent(client, altcha=payload, person_area="Northtown")  # replayed
    assert again.status_code == 200
    assert "did not work" in again.content.decode() and 'value="Northtown"' in again.content.decode()
    assert PublicContact.objects.count() == 1


def test_a_forged_or_garbled_answer_is_refused(client):
    issued = json.loads(base64.b64decode(solved()))
    issued["number"] += 1
    forged = base64.b64encode(json.dumps(issued).encode()).decode()
    for payload in (forged, "not-base64!", base64.b64encode(b"[1]").decode()):
        response = sent(client, altcha=payload)
        assert response.status_code == 200 and "did not work" in response.content.decode()
    assert not PublicContact.objects.exists()
    assert AuditEvent.objects.filter(action="public.contact_refused", details__why="challenge").count() == 3


def test_without_the_check_a_tighter_limit_applies_per_address(client, settings):
    settings.RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED = "2/h"
    assert [sent(client).status_code for _ in range(3)] == [302, 302, 429]
    refused = sent(client, person_area="Northtown")
    assert refused.status_code == 429 and 'value="Northtown"' in refused.content.decode()
    assert "call 101" in refused.content.decode()
    assert sent(client, altcha=solved()).status_code == 302  # a solved check is under the wider limit
    assert PublicContact.objects.count() == 3


def test_the_limit_for_everyone_stops_a_flood_from_many_addresses(client, settings):
    settings.RATE_LIMIT_PUBLIC_CONTACT_ALL = "3/h"
    settings.RATE_LIMIT_PUBLIC_CONTACT_ADDRESS = settings.RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED = "100/h"
    statuses = [sent(Client(REMOTE_ADDR=f"192.0.2.{n}")).status_code for n in range(1, 6)]
    assert statuses == [302, 302, 302, 429, 429]
    assert PublicContact.objects.count() == 3
    assert AuditEvent.objects.filter(action="access.rate_limited", details__limit="public_contact_all").count() == 2


def test_the_form_takes_no_files(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.get(FORM).content.decode()
    assert 'type="file"' not in page and "multipart" not in page
    data = {"concern": "A worry.", "relationship": "friend", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    assert client.post(FORM, data).status_code == 302
    assert not any((tmp_path / "media").rglob("*"))
