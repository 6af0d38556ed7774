"""Each user chooses e-mail per kind and a daily digest; security e-mails cannot be turned off."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from notifications import outbox
from notifications.models import DIGEST, Email, Notification, Preference
from notifications.services import notify, save_preferences

K = Notification.Kind


def test_a_kind_turned_off_is_not_emailed_but_still_shown_in_the_service(make_user, django_capture_on_commit_callbacks):
    officer = make_user(Role.PREVENT_OFFICER)
    save_preferences(by=officer, emails_off=[K.CASE_ASSIGNED], daily_digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-OFF23456", link="/cases/")
        notify([officer], kind=K.ASSESSMENT_DUE, reference="PC-ON234567", link="/cases/")
    assert Notification.objects.filter(recipient=officer).count() == 2
    assert [message.subject for message in mail.outbox] == ["Prevent referrals: Assessment due soon (PC-ON234567)"]


def test_security_emails_cannot_be_turned_off(make_user, django_capture_on_commit_callbacks):
    officer = make_user(Role.PREVENT_OFFICER)
    with pytest.raises(ValidationError):
        save_preferences(by=officer, emails_off=[K.PASSWORD_CHANGED], daily_digest=False)
    # Even a preference written around the service (or before a kind became a security kind) is ignored.
    Preference.objects.create(user=officer, emails_off=[K.PASSWORD_CHANGED], daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], kind=K.PASSWORD_CHANGED, reference="", link="/accounts/security/")
    assert [message.subject for message in mail.outbox] == ["Prevent referrals: Your password was changed"]


def test_the_preferences_page_offers_only_the_users_own_kinds_and_never_security_ones(signed_in):
    client = signed_in(Role.REFERRER)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    offered = [value for value, _ in response.context["form"].fields["emails_on"].choices]
    assert offered == [K.ADVICE_REPLIED, K.REFERRAL_RECEIVED, K.REFERRAL_FEEDBACK]
    assert "Your password was changed" in response.content.decode()  # listed as always on


def test_saving_preferences_from_the_page_is_audited(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    response = client.post(reverse("notifications:preferences"), {"emails_on": [K.CASE_ASSIGNED], "frequency": "daily"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=client.user)
    assert preference.daily_digest is True
    assert K.CASE_ASSIGNED not in preference.emails_off and K.REVIEW_DUE in preference.emails_off
    assert AuditEvent.objects.filter(action="notifications.preferences_changed", actor_id=client.user.pk).exists()


def test_a_security_kind_posted_by_hand_is_refused_with_a_message(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    response = client.post(
        reverse("notifications:preferences"), {"emails_on": [K.PASSWORD_CHANGED], "frequency": "each"}
    )
    assert response.status_code == 200
    assert "Choose from the kinds listed" in response.content.decode()
    assert not Preference.objects.filter(user=client.user).exists()


def test_a_missing_frequency_gets_a_clear_error_and_keeps_the_ticks(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    response = client.post(reverse("notifications:preferences"), {"emails_on": [K.REVIEW_DUE]})
    assert response.status_code == 200
    assert "Choose how often you want e-mails" in response.content.decode()
    assert response.context["form"]["emails_on"].value() == [K.REVIEW_DUE]


def test_the_digest_sends_one_email_with_counts_per_kind_once_a_day(make_user, django_capture_on_commit_callbacks):
    officer, other = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    save_preferences(by=officer, emails_off=[K.REVIEW_DUE], daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            notify([officer, other], kind=K.CASE_ASSIGNED, reference=f"PC-DIGEST{number}", link="/cases/")
        notify([officer], kind=K.ASSESSMENT_OVERDUE, reference="PC-LATE2345", link="/cases/")
        notify([officer], kind=K.REVIEW_DUE, reference="PC-OFF23456", link="/cases/")  # turned off: not counted
        notify([officer], kind=K.ACCOUNT_LOCKED, reference="", link="/accounts/sign-in/")  # security: at once
    assert sorted(message.to[0] for message in mail.outbox) == sorted([other.email] * 3 + [officer.email])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.send_digests() == 1
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert message.subject == "Prevent referrals: your daily summary"
    assert "- Case assigned to you: 3\n" in message.body and "- Assessment overdue: 1\n" in message.body
    assert "Case review due" not in message.body and "PC-DIGEST" not in message.body
    assert "/notifications/" in message.body
    assert not Email.objects.filter(recipient=officer, status=Email.Status.HELD).exists()

    # Running again the same day sends nothing, even with something new held: it waits for tomorrow.
    notify([officer], kind=K.CASE_ASSIGNED, reference="PC-LATER234", link="/cases/")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.send_digests() == 0
    assert len(mail.outbox) == 1
    assert Email.objects.filter(recipient=officer, kind=DIGEST).count() == 1
    assert Email.objects.filter(recipient=officer, status=Email.Status.HELD).count() == 1


def test_a_user_with_no_role_is_told_only_security_emails_come(signed_in):
    client = signed_in(Role.REFERRER)
    client.user.groups.clear()
    response = client.get(reverse("notifications:preferences"))
    assert "emails_on" not in response.context["form"].fields
    assert client.post(reverse("notifications:preferences"), {"frequency": "daily"}).status_code == 302
