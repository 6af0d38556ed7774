"""Nothing is lost when Redis or a worker fails, and nothing is sent twice.

These use a private redis-server (never the shared one others use), which the test stops and starts.
"""

import email
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Role
from cases import services
from notifications import outbox, tasks
from notifications.models import Email, Notification
from notifications.services import notify
from tests.notifications.conftest import celery_broker
from tests.referrals.factories import make_referral

ROOT = Path(__file__).resolve().parent.parent.parent


def wait_for(condition, seconds=60, process=None):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    return condition()


def message_ids(inbox):
    return [email.message_from_bytes(envelope.content)["Message-ID"] for envelope in inbox.messages]


def test_an_event_while_redis_is_down_is_emailed_exactly_once_when_it_returns(
    make_user, private_redis, smtp_server, django_capture_on_commit_callbacks
):
    case = make_referral(make_user(Role.REFERRER)).case
    supervisor, officer = make_user(Role.SUPERVISOR), make_user(Role.PREVENT_OFFICER)
    with celery_broker(private_redis.url):
        private_redis.stop()
        with django_capture_on_commit_callbacks(execute=True):
            services.assign(case, to=officer, by=supervisor)  # no exception reaches the user
        (waiting,) = Email.objects.filter(recipient=officer, kind=Notification.Kind.CASE_ASSIGNED)
        assert waiting.status == Email.Status.PENDING and smtp_server.messages == []
        assert Notification.objects.filter(recipient=officer, kind=Notification.Kind.CASE_ASSIGNED).exists()

        private_redis.start()
        assert tasks.drain_outbox.apply().get() >= 1  # what beat runs every minute (the referral's e-mails too)
        # A late task for the same row, and another drain, change nothing.
        tasks.send_email.apply(kwargs={"email_id": waiting.pk})
        tasks.drain_outbox.apply()
    to_officer = [message for message in smtp_server.messages if message.rcpt_tos == [officer.email]]
    assert len(to_officer) == 1
    assert message_ids(smtp_server).count(f"<notification-{waiting.pk}@127.0.0.1>") == 1
    assert Email.objects.get(pk=waiting.pk).status == Email.Status.SENT


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: the worker is another process and cannot see SQLite's in-memory test database",
)
def test_a_worker_killed_while_sending_loses_nothing_and_sends_nothing_twice(
    transactional_db, make_user, private_redis, smtp_server
):
    officer, other = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    smtp_server.slow_first = 8.0
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "worker-test-secret-key-" + "x" * 40,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "REDIS_URL": private_redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "NOTIFICATION_CLAIM_TIMEOUT_SECONDS": "3",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]

    def start_worker():
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    first = start_worker()
    second = None
    try:
        with celery_broker(private_redis.url):
            notify([officer], kind=Notification.Kind.CASE_ASSIGNED, reference="PC-KILL2345", link="/cases/")
            (row,) = Email.objects.filter(recipient=officer)
            assert wait_for(lambda: smtp_server.receiving == 1, process=first), first.communicate(timeout=5)[0]
            os.kill(first.pid, signal.SIGKILL)  # mid-task: the SMTP server has the message but has not said "250"
            first.wait(timeout=10)
            row.refresh_from_db()
            assert row.status == Email.Status.SENDING and row.sent_at is None

            second = start_worker()
            time.sleep(3.5)  # the dead worker's claim times out
            tasks.drain_outbox.delay()
            assert wait_for(lambda: len(smtp_server.messages) == 1, process=second)
            # The killed worker's task coming back (as Redis redelivers it) finds the e-mail sent and does nothing;
            # a later e-mail, queued behind it on the one-at-a-time worker, shows it has run.
            tasks.send_email.delay(email_id=row.pk)
            notify([other], kind=Notification.Kind.CASE_ASSIGNED, reference="PC-NEXT2345", link="/cases/")
            assert wait_for(lambda: len(smtp_server.messages) == 2, process=second)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.communicate(timeout=30)
    assert message_ids(smtp_server) == [
        f"<notification-{row.pk}@127.0.0.1>",
        f"<notification-{Email.objects.get(recipient=other).pk}@127.0.0.1>",
    ]
    row.refresh_from_db()
    assert row.status == Email.Status.SENT and row.attempts == 2
    assert outbox.drain() == 0
