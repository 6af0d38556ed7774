"""The audit tables refuse UPDATE and DELETE in the database itself, whatever path the write takes."""

import uuid

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts import services
from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record


@pytest.fixture
def event(make_user):
    user = make_user(Role.SUPERVISOR)
    return record(by=user, action="case.viewed", target=user)


@pytest.fixture
def log_entry(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    user = make_user(Role.REFERRER)
    services.update_user(
        user,
        by=admin,
        email=user.email,
        full_name="Changed Name",
        organisation=user.organisation,
        roles=[Role.REFERRER],
        is_active=True,
    )
    return LogEntry.objects.get_for_object(user).latest("timestamp")


def refused(write):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        write()


def test_an_event_cannot_be_changed_through_the_orm(event):
    event.action = "case.forged"
    refused(event.save)
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="case.forged"))
    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_an_event_cannot_be_deleted_through_the_orm(event):
    refused(event.delete)
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'case.forged' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_an_event_cannot_be_changed_with_raw_sql(event, sql):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])

    refused(write)
    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_field_history_is_append_only_too(log_entry):
    assert log_entry.changes_dict["full_name"][1] == "Changed Name"
    refused(lambda: LogEntry.objects.filter(pk=log_entry.pk).update(changes="{}"))
    refused(lambda: LogEntry.objects.filter(pk=log_entry.pk).delete())

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE auditlog_logentry SET changes = '{}' WHERE id = %s", [log_entry.pk])

    refused(raw)


def test_captured_row_changes_are_append_only_too(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_rowchange (occurred_at, table_name, row_id, operation, columns, database_user, "
            "transaction_id) VALUES (%s, 'cases_case', '1', 'UPDATE', '[]', 'app', 1)",
            [timezone.now()],
        )

    def raw(sql):
        def write():
            with connection.cursor() as cursor:
                cursor.execute(sql)

        return write

    refused(raw("UPDATE audit_rowchange SET columns = '[\"name\"]'"))
    refused(raw("DELETE FROM audit_rowchange"))


def test_new_events_can_still_be_written(event):
    record(by=None, action="system.checked")
    assert AuditEvent.objects.count() >= 2


def test_flushing_the_database_keeps_the_audit_tables_append_only(transactional_db, make_user):
    from django.core.management import call_command

    make_user(Role.REFERRER)
    call_command("flush", interactive=False, verbosity=0)
    event = record(by=None, action="system.checked")
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="system.forged"))


def test_the_cases_a_list_page_showed_are_append_only_too(make_user):
    from audit.models import ListedCase
    from audit.services import record_list
    from tests.referrals.factories import make_referral

    referral = make_referral(make_user(Role.REFERRER))
    event = record_list(by=make_user(Role.PREVENT_OFFICER), action="referral.list_viewed", targets=[referral])
    refused(lambda: ListedCase.objects.filter(event=event).update(case_id=uuid.uuid4()))
    refused(lambda: ListedCase.objects.filter(event=event).delete())
    assert list(ListedCase.objects.filter(event=event).values_list("case_id", flat=True)) == [referral.case_id]
