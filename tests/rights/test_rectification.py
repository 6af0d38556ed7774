"""Rectification: a correction with who and why supersedes the answer, follows into matching, tells recipients."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import search
from cases.models import Case, CaseEvent
from notifications.models import Email, Notification
from referrals.models import PersonKey, ReferralLink
from rights import selectors, services
from rights.models import Rectification
from tests.referrals.factories import make_referral
from tests.rights.factories import disclosed_case

pytestmark = pytest.mark.django_db

NEW_SURNAME = "Featherstonehaugh"
WHY = "The person showed their passport: the school misspelt the surname."


def rectified(kind):
    return set(Notification.objects.filter(kind=Notification.Kind.RECORD_RECTIFIED).values_list(kind, flat=True))


def test_rectification_notifies_recipients(make_user, django_capture_on_commit_callbacks):
    partner = make_user(Role.REFERRER)
    case, people = disclosed_case(make_user, partner=partner)
    officer = case.assigned_to

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.rectify(case, by=officer, field="surname", value=NEW_SURNAME, reason=WHY)

    # Everyone the case was disclosed to: both panel members, the provider, and the provider whose access ended.
    told = {*people["panel"], people["provider"], people["former_provider"]}
    assert rectified("recipient_id") == {user.pk for user in told}
    # Not the referrer (the data came from them; they keep seeing what they wrote), not the officer who corrected.
    assert partner.pk not in rectified("recipient_id") and officer.pk not in rectified("recipient_id")
    assert rectified("reference") == {case.reference}
    links = dict(
        Notification.objects.filter(kind=Notification.Kind.RECORD_RECTIFIED).values_list("recipient_id", "link")
    )
    assert links[people["provider"].pk] == reverse("cases:provided")
    assert links[people["panel"][0].pk].startswith("/cases/panel/")
    # E-mails went through the outbox and left after commit, saying nothing of the correction.
    assert callbacks, "the e-mails are handed over only after the correction commits"
    emails = Email.objects.filter(kind=Notification.Kind.RECORD_RECTIFIED)
    assert {email.recipient_id for email in emails} == {user.pk for user in told}
    sent = [message for message in mail.outbox if case.reference in message.subject + message.body]
    assert {address for message in sent for address in message.to} >= {user.email for user in told}
    for message in mail.outbox:
        assert NEW_SURNAME not in message.message().as_string()


def test_a_failed_correction_tells_nobody(make_user):
    case, _ = disclosed_case(make_user)
    with pytest.raises(ValidationError):
        services.rectify(case, by=case.assigned_to, field="surname", value=NEW_SURNAME, reason="  ")
    assert not Notification.objects.filter(kind=Notification.Kind.RECORD_RECTIFIED).exists()
    assert not Rectification.objects.exists()


def test_the_correction_is_recorded_with_who_and_why_and_audited_by_field_name_only(make_user):
    partner = make_user(Role.REFERRER)
    referral = make_referral(partner, surname="Fetherstonhaugh")
    supervisor = make_user(Role.SUPERVISOR)
    version = referral.case.version

    item = services.rectify(referral.case, by=supervisor, field="surname", value=NEW_SURNAME, reason=WHY)

    assert (item.field, item.value, item.reason, item.rectified_by) == ("surname", NEW_SURNAME, WHY, supervisor)
    case = Case.objects.get(pk=referral.case_id)
    assert case.version == version + 1
    assert CaseEvent.objects.filter(case=case, what="Record corrected: Surname or family name").exists()
    event = AuditEvent.objects.get(action="record.rectified")
    assert (event.actor, event.target_id, event.case_id) == (supervisor, str(case.pk), case.pk)
    assert event.details["field"] == "surname"
    assert event.details["referral_ids"] == [str(referral.pk)]
    text = json.dumps(event.details) + event.reason
    assert NEW_SURNAME not in text and "Fetherstonhaugh" not in text and "passport" not in text


def test_the_referral_stays_as_written_and_the_old_value_shows_only_in_the_supervisors_history(make_user, signed_in):
    partner = signed_in(Role.REFERRER)
    referral = make_referral(partner.user, surname="Fetherstonhaugh")
    supervisor = signed_in(Role.SUPERVISOR)
    officer = signed_in(Role.PREVENT_OFFICER)
    services.rectify(referral.case, by=supervisor.user, field="surname", value=NEW_SURNAME, reason=WHY)

    referral.refresh_from_db()
    assert referral.answers["the-person"]["surname"] == "Fetherstonhaugh"  # as the referrer wrote it
    assert selectors.police_answers(referral)["the-person"]["surname"] == NEW_SURNAME

    police_page = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert NEW_SURNAME in police_page and "Fetherstonhaugh" not in police_page
    assert "corrected 1 answer" in police_page
    officer_case = officer.get(reverse("cases:detail", args=[referral.case_id])).content.decode()
    assert WHY in officer_case and "Fetherstonhaugh" not in officer_case
    supervisor_case = supervisor.get(reverse("cases:detail", args=[referral.case_id])).content.decode()
    assert "Fetherstonhaugh" in supervisor_case and "Value replaced" in supervisor_case
    own = partner.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Fetherstonhaugh" in own and NEW_SURNAME not in own


def test_a_later_correction_supersedes_an_earlier_one_and_the_history_keeps_both(make_user):
    referral = make_referral(make_user(Role.REFERRER), surname="Fetherstonhaugh")
    supervisor = make_user(Role.SUPERVISOR)
    services.rectify(referral.case, by=supervisor, field="surname", value="Featherston", reason=WHY)
    services.rectify(referral.case, by=supervisor, field="surname", value=NEW_SURNAME, reason="Second look.")

    assert selectors.police_answers(referral)["the-person"]["surname"] == NEW_SURNAME
    rows = selectors.history(referral.case, with_replaced=True)
    assert [(row["rectification"].value, row["replaced"]) for row in rows] == [
        (NEW_SURNAME, "Featherston"),
        ("Featherston", "Fetherstonhaugh"),
    ]
    assert all(row["replaced"] is None for row in selectors.history(referral.case))


def test_matching_keys_follow_a_corrected_name_and_date_of_birth(make_user):
    partner = make_user(Role.REFERRER)
    referral = make_referral(partner, surname="Okonkwo", forenames="Alex")
    supervisor = make_user(Role.SUPERVISOR)

    services.rectify(referral.case, by=supervisor, field="surname", value=NEW_SURNAME, reason=WHY)
    services.rectify(referral.case, by=supervisor, field="date_of_birth", value="27 3 2009", reason=WHY)

    keys = set(PersonKey.objects.filter(referral=referral).values_list("kind", "value"))
    assert (PersonKey.Kind.NAME, "alex|featherstonehaugh") in keys
    assert (PersonKey.Kind.NAME, "alex|okonkwo") not in keys
    assert (PersonKey.Kind.BIRTH_DATE, "2009-03-27") in keys
    assert (PersonKey.Kind.BIRTH_YEAR, "2010") not in keys  # the year the referrer guessed gave way
    found = search.search({"name": f"Alex {NEW_SURNAME}", "date_of_birth": None, "birth_year": 2009})
    assert list(found) == [referral]
    assert not search.search({"name": "Alex Okonkwo", "date_of_birth": None, "birth_year": None}).exists()

    # A new referral under the corrected name is linked to this one as a possible repeat.
    later = make_referral(partner, surname=NEW_SURNAME, forenames="Alex", birth_year=2009)
    assert later.links.filter(earlier=referral).exists()


def test_a_correction_that_makes_two_referrals_match_suggests_the_repeat(make_user):
    partner = make_user(Role.REFERRER)
    earlier = make_referral(partner, surname=NEW_SURNAME, forenames="Alex")
    later = make_referral(partner, surname="Smithers-Ojo", forenames="Alex")
    assert not ReferralLink.objects.filter(referral=later, earlier=earlier).exists()

    services.rectify(later.case, by=make_user(Role.SUPERVISOR), field="surname", value=NEW_SURNAME, reason=WHY)

    link = ReferralLink.objects.get(referral=later, earlier=earlier)
    assert link.status == ReferralLink.Status.SUGGESTED and "Name" in link.reasons


@pytest.mark.parametrize("role", [Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.PREVENT_OFFICER, Role.REFERRER])
def test_only_the_cases_officer_and_supervisors_may_rectify(make_user, role):
    case, people = disclosed_case(make_user)
    who = {Role.SUPPORT_PROVIDER: people["provider"], Role.PANEL_MEMBER: people["panel"][0]}.get(role) or make_user(
        role
    )
    with pytest.raises(PermissionDenied):
        services.rectify(case, by=who, field="phone", value="01632 960001", reason=WHY)
    assert services.rectify(case, by=case.assigned_to, field="phone", value="01632 960001", reason=WHY)
    assert services.rectify(case, by=make_user(Role.SUPERVISOR), field="phone", value="01632 960002", reason=WHY)


def test_the_provider_sees_the_corrected_contact_details(make_user, signed_in):
    case, people = disclosed_case(make_user)
    services.rectify(case, by=case.assigned_to, field="postcode", value="nr2 4xy", reason=WHY)
    provider = signed_in(user=people["provider"])
    page = provider.get(reverse("cases:provided_case", args=[case.pk])).content.decode()
    assert "NR2 4XY" in page and "NR1 1AA" not in page


def test_the_form_keeps_what_was_typed_and_says_what_to_fix(make_user, signed_in):
    referral = make_referral(make_user(Role.REFERRER))
    supervisor = signed_in(Role.SUPERVISOR)
    url = reverse("rights:rectify", args=[referral.case_id])

    page = supervisor.post(url, {"field": "date_of_birth", "value": "31 2 2009", "reason": ""}).content.decode()
    assert "Enter the date of birth as day, month and year, like 27 3 2009" in page
    assert "Enter why the record is being corrected" in page
    assert "31 2 2009" in page
    page = supervisor.post(url, {"field": "", "value": "x", "reason": WHY}).content.decode()
    assert "Select what is being corrected" in page and WHY in page
    page = supervisor.post(url, {"field": "postcode", "value": "nr1 1aa", "reason": WHY}).content.decode()
    assert "This is the value already held: enter the corrected value" in page
    assert not Rectification.objects.exists()

    response = supervisor.post(url, {"field": "gender", "value": "Female", "reason": WHY})
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[referral.case_id])
    assert Rectification.objects.get().value == "female"


def test_an_officer_cannot_open_the_form_for_a_case_outside_their_caseload(make_user, signed_in):
    referral = make_referral(make_user(Role.REFERRER))
    officer = signed_in(Role.PREVENT_OFFICER)
    url = reverse("rights:rectify", args=[referral.case_id])
    assert officer.get(url).status_code == 403  # new and unassigned: nobody's case yet
    provider = signed_in(Role.SUPPORT_PROVIDER)
    assert provider.post(url, {"field": "phone", "value": "1", "reason": WHY}).status_code == 403
    assert not Rectification.objects.exists()
