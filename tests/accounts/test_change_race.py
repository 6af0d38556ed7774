"""Two supervisors approve one account change at the same moment: only one applies (PostgreSQL)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts import changes
from accounts.models import AccountChangeRequest
from audit.models import AuditEvent
from tests.accounts.test_changes import (  # noqa: F401 - the fixtures and helpers of the module these tests were split from
    admin,
    new_officer,
    police,
    supervisors,
    waiting,
)

K = AccountChangeRequest.Kind


def waited_for_a_lock(seconds=30) -> bool:
    """Say whether another session came to wait for a lock within the time (asked afresh each time)."""
    with connection.cursor() as cursor:
        for _ in range(seconds * 10):
            # Inside a transaction PostgreSQL keeps its first look at the activity: drop it to look again.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.1)
    return False


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: two connections racing (SQLite has one writer)"
)
@pytest.mark.django_db(transaction=True)
def test_of_two_approvals_at_once_only_one_applies_and_the_second_is_told(admin, police, supervisors):
    first, second = supervisors
    user = new_officer(admin, police)
    change = waiting(user, K.GRANT_ROLES)
    outcome = {}

    def approve_too():
        try:
            changes.approve(AccountChangeRequest.objects.get(pk=change.pk), by=second)
            outcome["second"] = "approved"
        except ValidationError as error:
            outcome["second"] = error.messages[0]
        finally:
            connection.close()

    racer = threading.Thread(target=approve_too)
    with transaction.atomic():
        changes.approve(change, by=first)
        racer.start()
        # Commit only once the second approval waits for this one's lock on the request.
        assert waited_for_a_lock(), "the second approval never waited for the first"
    racer.join(60)

    assert outcome["second"].startswith(f"This request was approved by {first.full_name}")
    assert AuditEvent.objects.filter(action="account_change.approved").count() == 1
    assert AuditEvent.objects.filter(action="user.roles_granted").count() == 1
    assert AccountChangeRequest.objects.get(pk=change.pk).decided_by == first
