import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from audit.models import AuditEvent
from notifications.models import Notification
from referrals import advice
from referrals.models import AdviceRequest, Referral


@pytest.fixture
def partner(signed_in):
    return signed_in(Role.REFERRER)


@pytest.fixture
def officer(signed_in):
    return signed_in(Role.PREVENT_OFFICER)


def test_a_partner_asks_for_advice_without_naming_anyone_and_the_team_is_told(partner, officer):
    response = partner.post(reverse("referrals:advice_new"), {"question": "A pupil keeps drawing swastikas."})
    item = AdviceRequest.objects.get()
    assert response["Location"] == reverse("referrals:advice_detail", args=[item.pk])
    assert item.reference.startswith("AD-") and item.organisation == partner.user.organisation
    note = Notification.objects.get(recipient=officer.user)
    assert note.kind == Notification.Kind.ADVICE_REQUESTED and "swastika" not in note.reference + note.link
    assert AuditEvent.objects.filter(action="advice.requested", target_id=str(item.pk)).exists()


def test_an_empty_question_is_refused_with_a_message(partner):
    response = partner.post(reverse("referrals:advice_new"), {"question": ""})
    assert "Tell us what you are worried about" in response.content.decode()


def test_the_team_replies_and_the_partner_reads_it(partner, officer):
    item = advice.ask_advice(by=partner.user, question="Worried about a pupil.")
    officer.post(reverse("referrals:advice_detail", args=[item.pk]), {"body": "Talk to your DSL first."})
    item.refresh_from_db()
    assert item.status == AdviceRequest.Status.ANSWERED
    assert Notification.objects.filter(recipient=partner.user, kind=Notification.Kind.ADVICE_REPLIED).exists()
    page = partner.get(reverse("referrals:advice_detail", args=[item.pk])).content.decode()
    assert "Talk to your DSL first." in page and "Prevent team" in page
    assert AuditEvent.objects.filter(action="advice.viewed", actor=partner.user).exists()


def test_the_team_asks_for_a_referral_and_the_partners_words_are_carried_over(partner, officer):
    item = advice.ask_advice(by=partner.user, question="He said he wants to hurt people at the mosque.")
    officer.post(reverse("referrals:advice_ask_referral", args=[item.pk]))
    response = partner.post(reverse("referrals:advice_start_referral", args=[item.pk]))
    draft = Referral.objects.get(author=partner.user)
    assert draft.advice_request == item
    assert response["Location"] == reverse("referrals:section", args=[draft.pk, "before-you-start"])
    concerns = partner.get(reverse("referrals:section", args=[draft.pk, "concerns"])).content.decode()
    assert "He said he wants to hurt people at the mosque." in concerns


def test_a_partner_cannot_start_a_referral_nobody_asked_for(partner):
    item = advice.ask_advice(by=partner.user, question="Worried.")
    assert partner.post(reverse("referrals:advice_start_referral", args=[item.pk])).status_code == 403


def test_a_closed_conversation_takes_no_more_replies(partner, officer):
    item = advice.ask_advice(by=partner.user, question="Worried.")
    officer.post(reverse("referrals:advice_close", args=[item.pk]))
    response = partner.post(reverse("referrals:advice_detail", args=[item.pk]), {"body": "One more thing"})
    assert response.status_code == 200 and item.messages.count() == 1


def test_the_team_logs_advice_given_by_phone(officer, make_organisation):
    school = make_organisation(Organisation.Kind.PARTNER)
    officer.post(
        reverse("referrals:advice_phone"),
        {"organisation": school.pk, "question": "Caller worried about a pupil.", "advice": "Make a referral."},
    )
    item = AdviceRequest.objects.get()
    assert item.channel == AdviceRequest.Channel.PHONE and item.status == AdviceRequest.Status.ANSWERED
    assert AuditEvent.objects.filter(action="advice.logged", target_id=str(item.pk)).exists()


def test_another_organisation_cannot_read_the_conversation(partner, signed_in):
    item = advice.ask_advice(by=partner.user, question="Worried about a pupil.")
    outsider = signed_in(Role.REFERRER)
    response = outsider.get(reverse("referrals:advice_detail", args=[item.pk]))
    assert response.status_code == 404 and b"Worried about a pupil" not in response.content
    assert item.reference not in outsider.get(reverse("referrals:advice_list")).content.decode()
