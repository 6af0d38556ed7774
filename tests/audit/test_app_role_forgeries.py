"""As the application's role: shadowed capture and chain, forged heads and tombstones, redaction."""

import json
import secrets
import uuid

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from audit import chain, triggers
from audit.models import AuditEvent, RowChange
from cases import services as case_services
from privacy import erasure
from privacy import triggers as privacy_triggers
from privacy.models import Tombstone
from tests.audit.test_app_role_attacks import (  # noqa: F401 - the fixtures and helpers of the module these tests were split from
    AUDIT_TABLES,
    REFUSED,
    Session,
    app,
    app_role,
    superuser,
    with_temporary_tables,
)
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: database roles, grants and triggers (set DATABASE_URL; CI does)",
)


@pytest.fixture
def note(make_user):
    """A committed case with a note an officer wrote."""
    case = make_referral(make_user(Role.REFERRER)).case
    return case_services.add_note(case, by=make_user(Role.PREVENT_OFFICER), text="Spoke to the school.")


@pytest.mark.django_db(transaction=True)
def test_a_temporary_audit_rowchange_cannot_silence_the_row_capture(note, app, app_role, with_temporary_tables):
    """The issue's attack, with the TEMPORARY right given back: the capture still reaches the real table."""
    before = RowChange.objects.filter(table_name="cases_casenote", row_id=str(note.pk)).count()
    app.run(
        "CREATE TEMP TABLE audit_rowchange AS SELECT * FROM public.audit_rowchange WITH NO DATA",
        "SET search_path = pg_temp, public",
        ("UPDATE cases_casenote SET text = 'rewritten' WHERE id = %s", [note.pk]),
    )
    captured = RowChange.objects.filter(table_name="cases_casenote", row_id=str(note.pk)).order_by("id")
    assert captured.count() == before + 1
    assert (captured.last().operation, captured.last().columns, captured.last().database_user) == (
        "UPDATE",
        ["text"],
        app_role,
    )


@pytest.mark.django_db(transaction=True)
def test_a_temporary_audit_auditevent_cannot_restart_or_fork_the_chain(note, app, with_temporary_tables):
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    app.run(
        "CREATE TEMP TABLE audit_auditevent AS SELECT * FROM public.audit_auditevent WITH NO DATA",
        "INSERT INTO public.audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
        "reason, details, hash, prev_hash) VALUES (now(), '', 'system.checked', '', '', '', '', '{}', '', '')",
    )
    assert AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() == last + 1
    assert chain.verify(anchors=[]).ok


@pytest.mark.django_db(transaction=True)
def test_a_forged_chain_head_cannot_fork_the_chain(note, app):
    first = AuditEvent.objects.get(seq=1)
    app.refused(
        ("SELECT set_config(%s, %s, true)", [triggers.HEAD_SETTING, f"1:{first.hash}"]),
        "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
        "reason, details, hash, prev_hash) VALUES (now(), '', 'system.checked', '', '', '', '', '{}', '', '')",
        match="duplicate key value violates unique constraint",
    )
    assert chain.verify(anchors=[]).ok


def tombstone_call(*, kind="case", record_id, erased_ids, requested_by, approved_by):
    return (
        privacy_triggers.WRITE_TOMBSTONE_CALL,
        [
            kind,
            str(record_id),
            None,
            None,
            timezone.now(),
            "nfa-3-years",
            requested_by.pk,
            approved_by.pk,
            f"DC-{secrets.token_hex(4).upper()}",
            json.dumps(erased_ids),
            "{}",
        ],
    )


@pytest.mark.django_db(transaction=True)
def test_a_forged_tombstone_cannot_name_a_live_record_a_user_or_an_organisation(note, app, make_user):
    """The issue's second attack: a tombstone naming a live officer, to blank the history of their role grants."""
    people = {"requested_by": make_user(Role.PREVENT_OFFICER), "approved_by": make_user(Role.SUPERVISOR)}
    officer = make_user(Role.PREVENT_OFFICER)
    case, gone = note.case, str(uuid.uuid4())
    history = list(LogEntry.objects.get_for_object(officer).values_list("pk", flat=True))
    assert history
    forged = [
        {"record_id": case.pk, "erased_ids": {"cases.case": [str(case.pk)]}},
        {"record_id": gone, "erased_ids": {"cases.case": [gone], "accounts.user": [str(officer.pk)]}},
        {
            "record_id": gone,
            "erased_ids": {"cases.case": [gone], "accounts.organisation": [str(officer.organisation_id)]},
        },
        {"record_id": gone, "erased_ids": {"cases.case": [gone, str(case.pk).upper()]}},
        {"record_id": gone, "erased_ids": {"cases.case": [gone], "cases.casenote": [str(note.pk)]}},
        {"kind": "user", "record_id": gone, "erased_ids": {"accounts.user": [str(officer.pk)]}},
    ]
    for arguments in forged:
        app.refused(tombstone_call(**arguments, **people), match="tombstone")
    # A tombstone that passes (its case deleted first, in the same transaction) still opens no officer's history.
    app.refused(
        ("DELETE FROM cases_case WHERE id = %s", [case.pk]),
        tombstone_call(record_id=case.pk, erased_ids={"cases.case": [str(case.pk)]}, **people),
        ("SELECT privacy_redact_history((SELECT max(id) FROM privacy_tombstone), %s)", [history]),
        match="append-only: UPDATE refused",
    )
    assert not Tombstone.objects.exists()
    assert not LogEntry.objects.filter(pk__in=history, object_repr=privacy_triggers.REDACTED).exists()


@pytest.mark.django_db(transaction=True)
def test_the_redaction_function_refuses_another_transactions_tombstone_and_live_records(note, app, make_user):
    """Direct calls with other ids: an earlier erasure's tombstone opens nothing, not even its own record's history."""
    officer, supervisor = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    erased_case = make_referral(make_user(Role.REFERRER)).case
    erased_history = list(LogEntry.objects.get_for_object(erased_case).values_list("pk", flat=True))
    tombstone = erasure.erase_case(erased_case, rule="nfa-3-years", requested_by=officer, approved_by=supervisor)
    live_history = [
        *LogEntry.objects.get_for_object(note.case).values_list("pk", flat=True),
        *LogEntry.objects.get_for_object(officer).values_list("pk", flat=True),
        *LogEntry.objects.get_for_object(officer.organisation).values_list("pk", flat=True),
    ]
    for entries in [live_history, erased_history]:
        app.refused(("SELECT privacy_redact_history(%s, %s)", [tombstone.pk, entries]), match="append-only")
    app.refused(
        ("SELECT set_config(%s, %s, true)", [privacy_triggers.ERASURE_SETTING, str(tombstone.pk)]),
        ("UPDATE auditlog_logentry SET object_repr = '[erased]' WHERE id = ANY(%s)", [live_history]),
    )
    assert app.run(("SELECT privacy_redact_history(%s, ARRAY[]::bigint[])", [tombstone.pk])) == [(0,)]
    # The records erased earlier have a tombstone already: another cannot be written for them.
    app.refused(
        tombstone_call(
            record_id=erased_case.pk,
            erased_ids={"cases.case": [str(erased_case.pk)]},
            requested_by=officer,
            approved_by=supervisor,
        ),
        match="already has a tombstone",
    )
    assert Tombstone.objects.count() == 1
    assert not LogEntry.objects.filter(pk__in=live_history, object_repr=privacy_triggers.REDACTED).exists()


@pytest.mark.django_db(transaction=True)
def test_temporary_copies_of_the_tables_the_redaction_reads_change_nothing(app, make_user, with_temporary_tables):
    """A session's own content types, tombstones and notes cannot make a live officer look like an erased note.

    Were any name in the functions resolved through the session's path, this would blank the officer's history:
    their entries would look like a note's, of a note gone from (the copy of) its table, listed by a tombstone
    of this transaction.
    """
    officer = make_user(Role.PREVENT_OFFICER)
    history = list(LogEntry.objects.get_for_object(officer).values_list("pk", flat=True))
    user_type = superuser("SELECT id FROM django_content_type WHERE app_label = 'accounts' AND model = 'user'")[0][0]
    app.refused(
        "CREATE TEMP TABLE django_content_type AS SELECT * FROM public.django_content_type",
        ("UPDATE django_content_type SET app_label = 'cases', model = 'casenote' WHERE id = %s", [user_type]),
        "CREATE TEMP TABLE cases_casenote AS SELECT * FROM public.cases_casenote WITH NO DATA",
        "CREATE TEMP TABLE privacy_tombstone AS SELECT * FROM public.privacy_tombstone WITH NO DATA",
        (
            "INSERT INTO privacy_tombstone (id, record_type, record_id, erased_at, rule, requested_by_id, "
            "approved_by_id, certificate_number, erased_ids, counts, transaction_id) VALUES (424242, 'case', "
            "gen_random_uuid(), now(), 'nfa-3-years', 1, 2, 'DC-TEMP0001', %s, '{}', txid_current())",
            [json.dumps({"cases.casenote": [str(officer.pk)]})],
        ),
        "SET search_path = pg_temp, public",
        ("SELECT public.privacy_redact_history(424242, %s)", [history]),
        match="append-only: UPDATE refused",
    )
    assert not LogEntry.objects.filter(pk__in=history, object_repr=privacy_triggers.REDACTED).exists()
