"""Every audit event is chained by the database; the verifier finds the first link anyone broke.

The tamper tests act as a database superuser would: they lift the triggers and edit, delete, reorder
and insert rows directly, then show the verifier names the right seq.
"""

import contextlib
import datetime
import hashlib
import json
import logging
import threading
import uuid

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import DatabaseError, connection, connections, transaction
from django_celery_beat.models import PeriodicTask

from accounts.models import Organisation, Role
from audit import chain, tasks, triggers
from audit.models import AuditEvent
from audit.services import record, record_many

ANCHOR_TASK = "audit.tasks.anchor_audit_chain"  # the names the beat rows store (config/beat.py)
VERIFY_TASK = "audit.tasks.verify_audit_chain"
ZEROS = "0" * 64


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    return tmp_path / "anchors.jsonl"


def independent_canonical(event: AuditEvent) -> str:
    """The canonical text, rebuilt here from the ORM's values rather than by the database's function."""

    def jsonb_order(value):
        if isinstance(value, dict):
            return {key: jsonb_order(value[key]) for key in sorted(value, key=lambda key: (len(key), key))}
        return [jsonb_order(item) for item in value] if isinstance(value, list) else value

    return json.dumps(
        [
            event.seq,
            event.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            event.actor_id,
            event.actor_roles,
            event.actor_organisation_id,
            event.action,
            event.target_type,
            event.target_id,
            str(event.case_id) if event.case_id else None,
            event.ip_address,
            event.request_id,
            event.reason,
            jsonb_order(event.details),
        ],
        ensure_ascii=False,
    )


def chained() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq"))


def execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@contextlib.contextmanager
def as_superuser_without_triggers():
    """Write to the events table as a superuser who has switched its triggers off."""
    if connection.vendor == "postgresql":
        execute("SET LOCAL session_replication_role = replica")
        yield
        execute("SET LOCAL session_replication_role = origin")
    else:
        tables = ["audit_auditevent"]
        for statement in [*triggers.drop_sql("sqlite", tables), *triggers.chain_drop_sql("sqlite")]:
            execute(statement)
        yield
        for statement in [*triggers.create_sql("sqlite", tables), *triggers.chain_create_sql("sqlite")]:
            execute(statement)


def reseal(seq_from: int, seq_to: int | None = None):
    """Relink and rehash events from seq_from on (to seq_to), as someone covering their tracks would."""
    previous = AuditEvent.objects.get(seq=seq_from - 1).hash if seq_from > 1 else ZEROS
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {triggers.CANONICAL_CALL} FROM audit_auditevent WHERE seq BETWEEN %s AND %s ORDER BY seq",
            [seq_from, seq_to or 10**9],
        )
        for event_id, canonical in cursor.fetchall():
            new_hash = hashlib.sha256((previous + canonical).encode()).hexdigest()
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [previous, new_hash, event_id]
            )
            previous = new_hash


@pytest.fixture
def six_events(db):
    for number in range(6):
        record(by=None, action="system.checked", reason=f"check {number}", number=number)
    events = chained()
    assert [event.seq for event in events] == [1, 2, 3, 4, 5, 6]
    return events


def assert_broken_at(seq, problem, **verify_options):
    result = chain.verify(**verify_options)
    assert not result.ok
    assert (result.broken.seq, result.broken.problem) == (seq, problem), result.broken.message
    return result.broken


def test_each_event_is_chained_to_the_one_before_with_a_hash_over_all_its_fields(make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    AuditEvent.objects.create(
        occurred_at=datetime.datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=datetime.UTC),
        actor=officer,
        actor_roles="prevent_officer",
        actor_organisation_id=officer.organisation_id,
        action="case.viewed",
        target_type="cases.case",
        target_id="42",
        case_id=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ip_address="2001:db8::1",
        request_id="abcdef0123456789",
        reason='A "quoted" reason\nover two lines, café',
        details={"zeta": [1, {"b": None, "a": "x"}], "ab": True, "z": 1.5},
    )
    record(by=officer, action="case.viewed", target=officer, reason="")
    events = chained()
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    previous = ZEROS
    for event in events:
        assert event.prev_hash == previous
        assert event.hash == hashlib.sha256((previous + independent_canonical(event)).encode()).hexdigest()
        previous = event.hash


def test_bulk_inserts_and_raw_sql_inserts_are_chained_too(db):
    organisations = [Organisation(pk=number) for number in range(1, 51)]
    record_many(by=None, action="organisation.list_viewed", targets=organisations)
    execute(
        "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
        "reason, details, prev_hash, hash) VALUES (%s, '', 'system.raw', '', '', '', '', '{}', '', '')",
        [datetime.datetime.now(tz=datetime.UTC)],
    )
    events = chained()
    assert [event.seq for event in events] == list(range(1, 52))
    assert events[-1].action == "system.raw" and events[-1].prev_hash == events[-2].hash
    assert chain.verify().ok


def test_a_writer_cannot_choose_its_own_place_in_the_chain(six_events):
    forged = {"seq": 3, "prev_hash": "f" * 64, "hash": "e" * 64}
    try:
        with transaction.atomic():
            execute(
                "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, "
                "request_id, reason, details, seq, prev_hash, hash) "
                "VALUES (%s, '', 'system.forged', '', '', '', '', '{}', 100, %s, %s)",
                [datetime.datetime.now(tz=datetime.UTC), forged["prev_hash"], forged["hash"]],
            )
    except DatabaseError:
        pass  # SQLite refuses the row outright
    else:
        event = AuditEvent.objects.get(action="system.forged")  # PostgreSQL replaces the link with its own
        assert (event.seq, event.prev_hash) == (7, six_events[-1].hash) and event.hash != forged["hash"]
    assert chain.verify().ok


def test_an_event_rolled_back_leaves_no_gap(six_events):
    with contextlib.suppress(RuntimeError), transaction.atomic():
        record(by=None, action="system.abandoned")
        raise RuntimeError
    record(by=None, action="system.kept")
    assert AuditEvent.objects.get(action="system.kept").seq == 7
    assert chain.verify().ok


def test_the_verifier_passes_an_unbroken_chain_in_small_batches(six_events):
    chain.write_anchor()
    record(by=None, action="system.checked")
    result = chain.verify(batch_size=4)
    assert result.ok
    assert (result.events, result.last_seq, result.anchors) == (7, 7, 1)
    assert result.last_hash == AuditEvent.objects.get(seq=7).hash


def test_editing_an_event_is_caught_at_its_seq(six_events):
    with as_superuser_without_triggers():
        execute("UPDATE audit_auditevent SET target_id = '999' WHERE seq = 4")
    broken = assert_broken_at(4, "hash_mismatch")
    assert broken.event_id == six_events[3].pk


def test_editing_a_hash_is_caught_at_its_seq(six_events):
    with as_superuser_without_triggers():
        execute("UPDATE audit_auditevent SET hash = %s WHERE seq = 2", ["a" * 64])
    assert_broken_at(2, "hash_mismatch")


def test_deleting_an_event_in_the_middle_is_caught_at_its_seq(six_events):
    with as_superuser_without_triggers():
        execute("DELETE FROM audit_auditevent WHERE seq = 3")
    assert_broken_at(3, "missing")


def test_swapping_the_order_of_two_events_is_caught_at_the_first(six_events):
    with as_superuser_without_triggers():
        execute("UPDATE audit_auditevent SET seq = -1 WHERE seq = 2")
        execute("UPDATE audit_auditevent SET seq = 2 WHERE seq = 5")
        execute("UPDATE audit_auditevent SET seq = 5 WHERE seq = -1")
    assert_broken_at(2, "prev_hash_mismatch")


def test_swapping_the_contents_of_two_events_is_caught_at_the_first(six_events):
    second, fifth = six_events[1], six_events[4]
    with as_superuser_without_triggers():
        for event, other in [(second, fifth), (fifth, second)]:
            execute(
                "UPDATE audit_auditevent SET occurred_at = %s, reason = %s, details = %s WHERE id = %s",
                [other.occurred_at, other.reason, json.dumps(other.details), event.pk],
            )
    assert_broken_at(2, "hash_mismatch")


def test_inserting_a_forged_event_in_the_middle_is_caught_at_the_event_after_it(six_events):
    with as_superuser_without_triggers():
        # Make room at seq 4, then forge an event there with a correct hash of its own.
        execute("UPDATE audit_auditevent SET seq = -seq - 1 WHERE seq >= 4")
        execute("UPDATE audit_auditevent SET seq = -seq WHERE seq < 0")
        execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
            "reason, details, seq, prev_hash, hash) VALUES (%s, '', 'case.viewed', '', '', '', '', '{}', 4, %s, '')",
            [six_events[2].occurred_at, six_events[2].hash],
        )
        reseal(4, 4)
    assert AuditEvent.objects.get(seq=4).action == "case.viewed"
    assert_broken_at(5, "prev_hash_mismatch")


def test_rewriting_the_rest_of_the_chain_after_an_edit_is_caught_by_an_anchor(six_events):
    anchor = chain.write_anchor()
    with as_superuser_without_triggers():
        execute("UPDATE audit_auditevent SET action = 'system.harmless' WHERE seq = 3")
        reseal(3)
    assert chain.verify(anchors=[]).ok  # consistent in itself: only the anchor knows better
    broken = assert_broken_at(anchor.seq, "anchor_mismatch")
    assert broken.event_id == six_events[5].pk


def test_deleting_the_last_events_is_caught_by_an_anchor(six_events):
    chain.write_anchor()
    with as_superuser_without_triggers():
        execute("DELETE FROM audit_auditevent WHERE seq >= 5")
    assert chain.verify(anchors=[]).ok
    assert_broken_at(5, "missing_tail")


def test_an_event_slipped_in_without_a_link_is_caught(six_events):
    with as_superuser_without_triggers():
        execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
            "reason, details, prev_hash, hash) VALUES (%s, '', 'case.viewed', '', '', '', '', '{}', '', '')",
            [datetime.datetime.now(tz=datetime.UTC)],
        )
    broken = assert_broken_at(None, "unchained")
    assert broken.event_id == AuditEvent.objects.get(seq__isnull=True).pk


def test_events_written_before_the_chain_existed_are_chained_in_id_order(six_events):
    with as_superuser_without_triggers():
        for number in range(3):
            execute(
                "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
                "reason, details, prev_hash, hash) VALUES (%s, '', 'system.old', '', '', '', %s, '{}', '', '')",
                [datetime.datetime.now(tz=datetime.UTC), f"old {number}"],
            )
    assert triggers.chain_unchained_rows(connection) == 3
    old = list(AuditEvent.objects.filter(action="system.old").order_by("id"))
    assert [event.seq for event in old] == [7, 8, 9]
    assert chain.verify().ok
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=old[0].pk).update(reason="changed")


def test_filling_in_a_link_cannot_be_used_to_change_an_unchained_event(six_events):
    with as_superuser_without_triggers():
        execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
            "reason, details, prev_hash, hash) VALUES (%s, '', 'case.viewed', '', '', '', '', '{}', '', '')",
            [datetime.datetime.now(tz=datetime.UTC)],
        )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(
            "UPDATE audit_auditevent SET action = 'system.harmless', seq = 7, prev_hash = %s, hash = %s "
            "WHERE seq IS NULL",
            [six_events[-1].hash, "c" * 64],
        )
    assert AuditEvent.objects.get(seq__isnull=True).action == "case.viewed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer in at a time, so there is no race to lose")
    writers, rounds = 6, 10
    barrier = threading.Barrier(writers)
    errors = []

    def write(number):
        try:
            barrier.wait(timeout=30)
            for round_ in range(rounds):
                record(by=None, action="system.concurrent", writer=number, round=round_)
                record_many(by=None, action="organisation.list_viewed", targets=[Organisation(pk=n) for n in range(5)])
                with transaction.atomic():
                    record(by=None, action="system.concurrent", writer=number, step="a")
                    record(by=None, action="system.concurrent", writer=number, step="b")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = writers * rounds * 8
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    assert chain.verify().ok


def test_an_anchor_goes_to_the_anchor_file_and_the_anchor_log(six_events, anchor_file, caplog):
    with caplog.at_level(logging.INFO, logger="audit.anchor"):
        call_command("anchor_audit", verbosity=0)
        chain.write_anchor()
    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert [(line["seq"], line["hash"]) for line in lines] == [(6, six_events[-1].hash)] * 2
    logged = [entry for entry in caplog.records if entry.name == "audit.anchor"]
    assert len(logged) == 2 and six_events[-1].hash in logged[0].getMessage()


def test_an_unreadable_anchor_file_fails_verification(six_events, anchor_file):
    anchor_file.write_text('{"seq": 1, "hash": "x"}\nnot json\n')
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "verify_audit"])
    assert exit_.value.code == 1
    assert chain.verify().broken.problem == "anchors_unreadable"


def test_verify_audit_says_ok_and_exits_zero_on_an_unbroken_chain(six_events, capsys):
    chain.write_anchor()
    execute_from_command_line(["manage.py", "verify_audit"])
    assert "OK: 6 events chained unbroken" in capsys.readouterr().out


def test_verify_audit_names_the_first_broken_link_and_exits_non_zero(six_events, capsys):
    with as_superuser_without_triggers():
        execute("DELETE FROM audit_auditevent WHERE seq = 2")
        execute("UPDATE audit_auditevent SET reason = 'changed' WHERE seq = 5")
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "verify_audit"])
    assert exit_.value.code == 1
    assert "seq 2 is missing" in capsys.readouterr().err


def test_verify_audit_checks_anchors_from_another_file(six_events, tmp_path, capsys):
    exported = tmp_path / "from-the-log-store.jsonl"
    exported.write_text(json.dumps({"seq": 6, "hash": "b" * 64, "at": "2026-01-01T00:00:00Z"}) + "\n")
    with pytest.raises(SystemExit):
        execute_from_command_line(["manage.py", "verify_audit", "--anchors", str(exported)])
    assert "anchor_mismatch" in capsys.readouterr().err


def test_the_nightly_task_logs_a_broken_chain_and_records_an_event(six_events, caplog):
    assert tasks.verify_audit_chain.delay().get() is True
    with as_superuser_without_triggers():
        execute("UPDATE audit_auditevent SET reason = 'changed' WHERE seq = 3")
    with caplog.at_level(logging.INFO):
        assert tasks.verify_audit_chain.delay().get() is False
    errors = [entry for entry in caplog.records if entry.levelno == logging.ERROR]
    expected = f"audit chain broken: hash_mismatch at seq 3 (event {six_events[2].pk})"
    assert [entry.getMessage() for entry in errors] == [expected]
    event = AuditEvent.objects.get(action="audit.chain_broken")
    assert event.details == {"problem": "hash_mismatch", "seq": 3, "event_id": six_events[2].pk, "verified_events": 2}


def test_the_anchoring_task_writes_an_anchor(six_events, anchor_file):
    assert tasks.anchor_audit_chain.delay().get() == 6
    assert json.loads(anchor_file.read_text())["hash"] == six_events[-1].hash


def test_beat_anchors_every_15_minutes_and_verifies_nightly(db):
    anchoring = PeriodicTask.objects.get(task=ANCHOR_TASK)
    assert (anchoring.interval.every, anchoring.interval.period, anchoring.enabled) == (15, "minutes", True)
    verifying = PeriodicTask.objects.get(task=VERIFY_TASK)
    assert verifying.crontab.hour == "3" and verifying.crontab.day_of_week == "*" and verifying.enabled
