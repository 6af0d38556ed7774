"""Writes to the core personal-data tables are captured by the database, even when they bypass `save()`."""

import json

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from audit import row_capture
from audit.models import RowChange
from cases.models import Case, CaseNote
from referrals.models import Referral
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the row capture is a PL/pgSQL trigger (a no-op on SQLite)",
)

SECRET = "Zebediah-Quartermaine"


@pytest.fixture
def case(make_user):
    return make_referral(make_user(Role.REFERRER), surname=SECRET).case


def changes(table, row_id, operation):
    return list(RowChange.objects.filter(table_name=table, row_id=str(row_id), operation=operation).order_by("id"))


def current(expression):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}")
        return cursor.fetchone()[0]


def assert_holds_no(value: str):
    rows = [json.dumps(row, default=str) for row in RowChange.objects.values()]
    assert rows and not [row for row in rows if value in row]


def test_every_captured_table_has_the_trigger_and_an_id_primary_key(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = c.relname || "
            "'_row_capture' AND NOT t.tgisinternal"
        )
        installed = {row[0] for row in cursor.fetchall()}
    captured = [
        *row_capture.CAPTURED_TABLES,
        *row_capture.LATER_TABLES,
        *row_capture.CASE_FILE_TABLES,
        *row_capture.CASE_DOCUMENT_TABLES,
        *row_capture.PUBLIC_CONTACT_TABLES,
    ]
    assert installed == set(captured)
    tables = {model._meta.db_table: model for model in apps.get_models()}
    assert {table: tables[table]._meta.pk.column for table in captured} == dict.fromkeys(captured, "id")


def test_a_queryset_update_is_captured_with_the_changed_columns_only(case):
    Case.objects.filter(pk=case.pk).update(sector="health", updated_at=timezone.now())
    [change] = changes("cases_case", case.pk, "UPDATE")[-1:]
    assert change.columns == ["sector", "updated_at"]
    assert change.database_user == current("current_user")
    assert change.transaction_id == current("txid_current()")
    assert change.occurred_at is not None


def test_a_bulk_create_is_captured_row_by_row_without_values(case, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    notes = CaseNote.objects.bulk_create(
        [CaseNote(case=case, written_by=officer, text=f"{SECRET} said {n}", written_at=timezone.now()) for n in (1, 2)]
    )
    for note in notes:
        [change] = changes("cases_casenote", note.pk, "INSERT")
        assert change.columns == ["case_id", "id", "text", "written_at", "written_by_id"]
    assert_holds_no(SECRET)


def test_a_raw_sql_update_is_captured_without_values(case):
    referral = case.referrals.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET answers = jsonb_set(answers, '{concerns,concerns}', to_jsonb(%s::text)) "
            "WHERE id = %s",
            [f"{SECRET} again", referral.pk],
        )
    [change] = changes("referrals_referral", referral.pk, "UPDATE")[-1:]
    assert change.columns == ["answers"]
    assert SECRET in json.dumps(Referral.objects.get(pk=referral.pk).answers)
    assert_holds_no(SECRET)


def test_a_raw_sql_delete_is_captured(case, make_user):
    from cases import services

    note = services.add_note(case, by=make_user(Role.SUPERVISOR), text="A note to delete.")
    note = case.notes.get()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_casenote WHERE id = %s", [note.pk])
    [change] = changes("cases_casenote", note.pk, "DELETE")
    assert change.columns == []
    assert change.transaction_id == current("txid_current()")


def test_an_update_that_changes_nothing_is_still_recorded_as_a_write(case):
    Case.objects.filter(pk=case.pk).update(sector=case.sector)
    assert changes("cases_case", case.pk, "UPDATE")[-1].columns == []


def test_tables_outside_the_core_are_not_captured(make_organisation):
    organisation = make_organisation()
    assert not RowChange.objects.filter(table_name="accounts_organisation", row_id=str(organisation.pk)).exists()


def test_row_changes_cannot_be_changed_or_deleted(case):
    change = RowChange.objects.filter(table_name="cases_case").first()
    for sql in ("UPDATE audit_rowchange SET columns = '[]' WHERE id = %s", "DELETE FROM audit_rowchange WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [change.pk])
    assert RowChange.objects.filter(pk=change.pk).exists()
