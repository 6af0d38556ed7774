"""The outbox: written with the event, sent once after commit, drained when the broker was away."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from notifications import outbox
from notifications.models import Email, Notification
from notifications.services import notify
from tests.notifications.conftest import celery_broker, free_port

K = Notification.Kind


def test_notify_writes_the_notice_and_its_email_in_the_callers_transaction(make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-ROLLBACK", link="/cases/")
        assert Email.objects.filter(recipient=officer).count() == 1
        raise RuntimeError("the event failed")
    assert not Notification.objects.filter(recipient=officer).exists()
    assert not Email.objects.filter(recipient=officer).exists()
    assert mail.outbox == []


def test_after_commit_the_email_is_sent_once_and_marked_sent(make_user, django_capture_on_commit_callbacks):
    officer = make_user(Role.PREVENT_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-ABCD2345", link="/cases/")
    email = Email.objects.get(recipient=officer)
    assert email.status == Email.Status.SENT and email.attempts == 1
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert message.subject == "Prevent referrals: Case assigned to you (PC-ABCD2345)"
    assert "http://127.0.0.1:8000/cases/" in message.body
    assert message.extra_headers["Message-ID"] == f"<notification-{email.pk}@127.0.0.1>"


def test_a_redelivered_task_or_a_second_worker_does_not_send_again(make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    with transaction.atomic():
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-TWICE234", link="/cases/")
    email = Email.objects.get(recipient=officer)
    mail.outbox.clear()
    Email.objects.filter(pk=email.pk).update(status=Email.Status.PENDING)
    first, second = outbox.claim(email.pk), outbox.claim(email.pk)
    assert first is not None and second is None
    assert outbox.send_claimed(email.pk, first) is True
    assert outbox.deliver(email.pk) is False
    assert len(mail.outbox) == 1


def test_a_claim_is_taken_back_only_after_the_claim_timeout(make_user, settings):
    officer = make_user(Role.PREVENT_OFFICER)
    notify([officer], kind=K.CASE_ASSIGNED, reference="PC-STALE234", link="/cases/")
    email = Email.objects.get(recipient=officer)
    mail.outbox.clear()
    # A worker claimed it and died before sending.
    Email.objects.filter(pk=email.pk).update(status=Email.Status.SENDING, claimed_at=timezone.now())
    assert outbox.drain() == 0 and mail.outbox == []
    stale = timezone.now() - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS + 1)
    Email.objects.filter(pk=email.pk).update(claimed_at=stale)
    assert outbox.drain() == 1
    assert len(mail.outbox) == 1
    assert Email.objects.get(pk=email.pk).status == Email.Status.SENT


def test_a_broker_that_is_down_at_commit_leaves_the_email_pending_without_troubling_the_user(
    make_user, caplog, django_capture_on_commit_callbacks
):
    officer = make_user(Role.PREVENT_OFFICER)
    nobody_listening = f"redis://127.0.0.1:{free_port()}/0"
    with (
        celery_broker(nobody_listening),
        caplog.at_level(logging.WARNING, logger="notifications.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-DOWN2345", link="/cases/")
    email = Email.objects.get(recipient=officer)
    assert email.status == Email.Status.PENDING and mail.outbox == []
    assert f"e-mails [{email.pk}] left in the outbox for the drain (OperationalError)" in caplog.text
    assert officer.email not in caplog.text
    assert outbox.drain() == 1
    assert len(mail.outbox) == 1


def test_a_failed_send_is_tried_again_later_and_records_only_the_error_class(
    make_user, settings, django_capture_on_commit_callbacks
):
    officer = make_user(Role.PREVENT_OFFICER)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-FAIL2345", link="/cases/")
    email = Email.objects.get(recipient=officer)
    assert email.status == Email.Status.PENDING
    assert email.last_error == "ConnectionRefusedError"
    assert email.due_at > timezone.now() and email.attempts == 1
    assert outbox.drain() == 0  # not due yet


def test_an_email_is_given_up_after_the_last_attempt(make_user, settings, django_capture_on_commit_callbacks):
    officer = make_user(Role.PREVENT_OFFICER)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-GIVE2345", link="/cases/")
    assert Email.objects.get(recipient=officer).status == Email.Status.PENDING
    email = Email.objects.get(recipient=officer)
    Email.objects.filter(pk=email.pk).update(due_at=timezone.now())
    outbox.drain()
    assert Email.objects.get(pk=email.pk).status == Email.Status.FAILED


def test_no_email_goes_to_a_deactivated_user(make_user, django_capture_on_commit_callbacks):
    officer = make_user(Role.PREVENT_OFFICER)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], kind=K.CASE_ASSIGNED, reference="PC-GONE2345", link="/cases/")
    assert Email.objects.get(recipient=officer).status == Email.Status.FAILED
    assert mail.outbox == []


def test_the_drain_sends_everything_waiting_in_batches(make_user, django_capture_on_commit_callbacks):
    officers = [make_user(Role.PREVENT_OFFICER) for _ in range(5)]
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"), django_capture_on_commit_callbacks(execute=True):
        notify(officers, kind=K.CASE_ASSIGNED, reference="PC-MANY2345", link="/cases/")
    assert Email.objects.filter(status=Email.Status.PENDING).count() == 5
    assert outbox.drain(batch_size=2) == 5
    assert sorted(message.to[0] for message in mail.outbox) == sorted(officer.email for officer in officers)
    assert outbox.drain() == 0
