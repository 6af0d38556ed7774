"""With the grants in scripts/db-roles.sql, the application's role can read and append to the audit tables only.

Each test creates a throwaway role inside the test's transaction (rolled back with it), gives it the
script's grants, and acts as that role with SET ROLE.
"""

import uuid

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Organisation
from audit.management.commands.apply_db_roles import script_statements
from audit.models import AuditEvent
from audit.services import record

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: database roles and grants (set DATABASE_URL; CI does)",
)

AUDIT_TABLES = ["audit_auditevent", "auditlog_logentry", "audit_rowchange", "audit_listedcase"]


def execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def as_app_role(db):
    """Switch this transaction to a fresh role holding the script's grants; return to the superuser after."""
    role = f"prevent_app_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        for statement in script_statements(app_role=role, owner_role=owner, database=database):
            cursor.execute(statement)

    def switch(*extra_grants):
        execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE would otherwise stop at queued foreign-key checks
        for grant in extra_grants:
            execute(grant.format(role=f'"{role}"'))
        execute(f'SET LOCAL ROLE "{role}"')

    yield switch
    execute("RESET ROLE")


def refused(sql, match="permission denied"):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        execute(sql)


@pytest.fixture
def rows(db):
    """One row in each audit table, written before switching role."""
    event = record(by=None, action="system.checked")
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_pk="1",
        object_repr="Organisation 1",
        action=LogEntry.Action.ACCESS,
        changes_text="",
        timestamp=timezone.now(),
    )
    execute(
        "INSERT INTO audit_rowchange (occurred_at, table_name, row_id, operation, columns, database_user, "
        "transaction_id) VALUES (now(), 'cases_case', '1', 'UPDATE', '[]', current_user, txid_current())"
    )
    return event, entry


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_application_role_cannot_update_delete_or_truncate_an_audit_table(rows, as_app_role, table):
    as_app_role()
    column = "event_id" if table == "audit_listedcase" else "id"
    refused(f"UPDATE {table} SET {column} = {column}")
    refused(f"DELETE FROM {table}")
    refused(f"TRUNCATE {table}")
    execute(f"SELECT count(*) FROM {table}")


def test_the_application_role_can_append_to_the_audit_tables(rows, as_app_role):
    as_app_role()
    event = record(by=None, action="system.appended")
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_pk="2",
        object_repr="Organisation 2",
        action=LogEntry.Action.ACCESS,
        changes_text="",
        timestamp=timezone.now(),
    )
    execute(
        "INSERT INTO audit_rowchange (occurred_at, table_name, row_id, operation, columns, database_user, "
        "transaction_id) VALUES (now(), 'cases_case', '2', 'INSERT', '[]', current_user, txid_current())"
    )
    assert AuditEvent.objects.get(pk=event.pk).seq == AuditEvent.objects.get(pk=rows[0].pk).seq + 1
    assert LogEntry.objects.filter(object_pk="2").exists()


def test_the_application_role_keeps_ordinary_rights_on_other_tables(rows, as_app_role):
    as_app_role()
    execute("UPDATE accounts_organisation SET name = name")
    execute("SELECT count(*) FROM cases_case")


def test_only_the_application_role_may_call_the_history_redaction_function(as_app_role):
    outsider = f"prevent_outsider_{uuid.uuid4().hex[:12]}"
    execute(f'CREATE ROLE "{outsider}" NOLOGIN')
    execute(f'GRANT USAGE ON SCHEMA public TO "{outsider}"')
    execute(f'SET LOCAL ROLE "{outsider}"')
    refused("SELECT privacy_redact_history(0, ARRAY[]::bigint[])", match="permission denied for function")
    execute("RESET ROLE")
    as_app_role()
    execute("SELECT privacy_redact_history(0, ARRAY[]::bigint[])")  # names nothing, so redacts nothing


def test_truncate_is_refused_by_a_trigger_even_where_a_grant_allows_it(rows, as_app_role):
    as_app_role("GRANT TRUNCATE ON audit_auditevent, auditlog_logentry, audit_rowchange, audit_listedcase TO {role}")
    for table in AUDIT_TABLES:
        refused(f"TRUNCATE {table}", match="append-only: TRUNCATE refused")


def test_the_command_gives_the_application_role_the_scripts_grants(rows):
    from io import StringIO

    from django.core.management import CommandError, call_command

    role = f"prevent_app_cmd_{uuid.uuid4().hex[:12]}"
    execute(f'CREATE ROLE "{role}" NOLOGIN')
    with pytest.raises(CommandError, match="plain role name"):
        call_command("apply_db_roles", app_role='x"; DROP TABLE audit_auditevent; --', stdout=StringIO())
    call_command("apply_db_roles", app_role=role, stdout=StringIO())
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute(f'SET LOCAL ROLE "{role}"')
    record(by=None, action="system.appended")
    refused("DELETE FROM audit_auditevent")
    refused("UPDATE audit_listedcase SET event_id = event_id")
    execute("RESET ROLE")
