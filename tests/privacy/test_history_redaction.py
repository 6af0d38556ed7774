"""Field-level history stays append-only: only an erasure, in its own transaction, may blank its values."""

import itertools
import json
import uuid

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from privacy import triggers
from privacy.models import ErasureInProgress, Tombstone
from tests.referrals.factories import make_referral

REDACT = (
    "UPDATE auditlog_logentry SET object_repr = %s, changes_text = '', changes = NULL, serialized_data = NULL, "
    "additional_data = NULL WHERE id = %s"
)
_numbers = itertools.count(1)
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's transaction check")


@pytest.fixture
def entry(make_user):
    """The history entry django-auditlog wrote when a case was opened; the case itself is gone, as after an erasure."""
    referral = make_referral(make_user(Role.REFERRER))
    case = referral.case
    entry = LogEntry.objects.get_for_object(case).earliest("timestamp")
    with disable_auditlog():
        referral.delete()
        case.delete()
    return entry


def tombstone_listing(entry, make_user, record_id=None, **ids) -> Tombstone:
    label = f"{entry.content_type.app_label}.{entry.content_type.model}"
    return Tombstone.objects.create(
        record_type=Tombstone.RecordType.CASE,
        record_id=record_id or entry.object_pk,
        erased_at=timezone.now(),
        rule="nfa-3-years",
        requested_by=make_user(Role.PREVENT_OFFICER),
        approved_by=make_user(Role.SUPERVISOR),
        certificate_number=f"DC-T{next(_numbers):07d}",
        erased_ids=ids or {label: [entry.object_pk]},
    )


def open_erasure(tombstone) -> None:
    """Do what privacy.erasure does before it redacts: name the erasure, on each vendor its own way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, %s, true)", [triggers.ERASURE_SETTING, str(tombstone.pk)])
        else:
            ErasureInProgress.objects.create(tombstone=tombstone)


def redact(entry, repr_=triggers.REDACTED) -> None:
    with connection.cursor() as cursor:
        cursor.execute(REDACT, [repr_, entry.pk])


def refused(write):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        write()


def test_outside_an_erasure_history_cannot_be_changed(entry):
    refused(lambda: redact(entry))
    refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(object_repr=triggers.REDACTED))
    refused(lambda: LogEntry.objects.filter(pk=entry.pk).delete())
    entry.refresh_from_db()
    assert entry.object_repr != triggers.REDACTED


def test_inside_an_erasure_history_of_an_erased_record_can_be_blanked_and_nothing_else(entry, make_user):
    tombstone = tombstone_listing(entry, make_user)
    open_erasure(tombstone)
    # Only to the redacted form, and never another column.
    refused(lambda: redact(entry, repr_="something else"))
    refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(action=LogEntry.Action.DELETE))
    refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(changes={"status": ["x", "y"]}))
    refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(changes={"invented": ["[erased]", "[erased]"]}))
    refused(lambda: LogEntry.objects.filter(pk=entry.pk).delete())

    redact(entry)

    entry.refresh_from_db()
    assert (entry.object_repr, entry.changes, entry.changes_text) == (triggers.REDACTED, None, "")


def test_an_erasure_cannot_blank_the_history_of_a_record_it_did_not_erase(entry, make_user):
    other = make_referral(make_user(Role.REFERRER)).case
    open_erasure(tombstone_listing(entry, make_user, **{"cases.case": [str(other.pk)]}))
    refused(lambda: redact(entry))


def test_naming_an_erasure_that_does_not_exist_does_not_help(entry):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [triggers.ERASURE_SETTING, "999999"])
    refused(lambda: redact(entry))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_flag_naming_an_erasure_of_another_transaction_does_not_help(entry, make_user):
    tombstone = tombstone_listing(entry, make_user)  # committed: an earlier transaction's tombstone
    with transaction.atomic():
        open_erasure(tombstone)
        refused(lambda: redact(entry))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [triggers.ERASURE_SETTING, str(tombstone.pk)])
        refused(lambda: redact(entry))
        cursor.execute("SELECT set_config(%s, '', false)", [triggers.ERASURE_SETTING])


def live_record(kind, make_user, make_organisation):
    """A record that exists, with history: a case, a user (role grants are its history) or an organisation."""
    if kind == "case":
        return make_referral(make_user(Role.REFERRER)).case
    if kind == "user":
        return make_user(Role.PREVENT_OFFICER)
    return make_organisation()


@postgres_only
@pytest.mark.parametrize("kind", ["case", "user", "organisation"])
def test_a_tombstone_naming_a_record_that_still_exists_opens_none_of_its_history(kind, make_user, make_organisation):
    """Even a tombstone inserted by a role that may (the superuser) opens nothing of a live record's history."""
    live = live_record(kind, make_user, make_organisation)
    entry = LogEntry.objects.get_for_object(live).earliest("timestamp")
    tombstone = tombstone_listing(entry, make_user, record_id=live.pk if kind == "case" else uuid.uuid4())
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute(triggers.REDACT_CALL, [tombstone.pk, [entry.pk]]))
    open_erasure(tombstone)
    refused(lambda: redact(entry))
    entry.refresh_from_db()
    assert entry.object_repr != triggers.REDACTED


def test_erasure_erases_cases_referrals_and_what_hangs_from_them_never_users_or_organisations(db):
    from privacy.erasure import erased_models

    labels = {model._meta.label_lower for model in erased_models()}
    assert {"cases.case", "cases.casenote", "referrals.referral", "referrals.advicerequest"} <= labels
    assert not labels & {"accounts.user", "accounts.organisation", "privacy.tombstone", "auditlog.logentry"}
    assert set(triggers.erasable_tables()) == labels


def write_tombstone(*, kind="case", record_id, erased_ids, requested_by, approved_by, rule="nfa-3-years"):
    """Call the database's tombstone function the way privacy.erasure does, with whatever it is given."""
    with connection.cursor() as cursor:
        cursor.execute(
            triggers.WRITE_TOMBSTONE_CALL,
            [
                kind,
                str(record_id),
                None,
                None,
                timezone.now(),
                rule,
                requested_by.pk,
                approved_by.pk,
                f"DC-W{next(_numbers):07d}",
                json.dumps(erased_ids),
                "{}",
            ],
        )
        return Tombstone.objects.get(pk=cursor.fetchone()[0])


def refused_tombstone(match, **arguments):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        write_tombstone(**arguments)


@postgres_only
def test_the_tombstone_function_writes_one_only_for_a_record_that_is_gone(entry, make_user, make_organisation):
    people = {"requested_by": make_user(Role.PREVENT_OFFICER), "approved_by": make_user(Role.SUPERVISOR)}
    live_case = make_referral(make_user(Role.REFERRER)).case
    live_user = make_user(Role.PREVENT_OFFICER)
    gone = entry.object_pk
    refused_tombstone(
        "is live or of a kind", record_id=live_case.pk, erased_ids={"cases.case": [str(live_case.pk)]}, **people
    )
    # A user or an organisation is never erased by an erasure, so never listed: not even beside a gone case.
    for label, pk in [("accounts.user", live_user.pk), ("accounts.organisation", make_organisation().pk)]:
        refused_tombstone(
            "of a kind not erased", record_id=gone, erased_ids={"cases.case": [gone], label: [str(pk)]}, **people
        )
    # Other spellings of a live record's id name nothing erasure erased.
    for spelling in [str(live_case.pk).upper(), "{" + str(live_case.pk) + "}", str(live_case.pk).replace("-", "")]:
        refused_tombstone("is live", record_id=gone, erased_ids={"cases.case": [gone, spelling]}, **people)
    refused_tombstone("is live", record_id=gone, erased_ids={"cases.case": [gone], "cases.casenote": [1]}, **people)
    refused_tombstone(
        "for a case or a referral", kind="user", record_id=gone, erased_ids={"cases.case": [gone]}, **people
    )
    refused_tombstone("its own record", record_id=gone, erased_ids={"cases.casenote": []}, **people)
    refused_tombstone("its own record", kind="referral", record_id=gone, erased_ids={"cases.case": [gone]}, **people)
    refused_tombstone("two different people", record_id=gone, erased_ids={"cases.case": [gone]},
                      requested_by=people["approved_by"], approved_by=people["approved_by"])  # fmt: skip
    refused_tombstone("rule", record_id=gone, erased_ids={"cases.case": [gone]}, rule="Free text", **people)

    tombstone = write_tombstone(record_id=gone, erased_ids={"cases.case": [gone]}, **people)

    assert tombstone.erased_ids == {"cases.case": [gone]} and tombstone.transaction_id is not None
    refused_tombstone("already has a tombstone", record_id=gone, erased_ids={"cases.case": [gone]}, **people)


@postgres_only
def test_a_tombstone_cannot_be_changed_or_deleted(entry, make_user):
    tombstone = tombstone_listing(entry, make_user)
    assert tombstone.__class__.objects.get(pk=tombstone.pk).transaction_id is not None
    refused(lambda: Tombstone.objects.filter(pk=tombstone.pk).update(rule="other"))
    refused(lambda: Tombstone.objects.filter(pk=tombstone.pk).delete())


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_marker_never_outlives_its_erasure(make_user):
    from privacy import erasure

    case = make_referral(make_user(Role.REFERRER)).case
    erasure.erase_case(
        case, rule="nfa-3-years", requested_by=make_user(Role.PREVENT_OFFICER), approved_by=make_user(Role.SUPERVISOR)
    )
    assert not ErasureInProgress.objects.exists()
    # After a flush between transactional tests, the erasure-aware trigger is back (SQLite) and works.
    assert LogEntry.objects.filter(object_repr=triggers.REDACTED, object_pk=str(case.pk)).exists()


@postgres_only
def test_the_redacting_function_works_only_for_this_transactions_tombstone(entry, make_user):
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute(triggers.REDACT_CALL, [999999, [entry.pk]]))
        other = make_referral(make_user(Role.REFERRER)).case
        unrelated = tombstone_listing(entry, make_user, **{"cases.case": [str(other.pk)]})
        refused(lambda: cursor.execute(triggers.REDACT_CALL, [unrelated.pk, [entry.pk]]))
        tombstone = tombstone_listing(entry, make_user)
        cursor.execute(triggers.REDACT_CALL, [tombstone.pk, [entry.pk]])
        assert cursor.fetchone()[0] == 1
        # The flag is cleared again: a plain UPDATE afterwards is refused.
        refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(object_repr="[erased]"))
    entry.refresh_from_db()
    assert entry.object_repr == triggers.REDACTED and entry.changes_text == ""
    assert set(entry.changes) and all(value == ["[erased]", "[erased]"] for value in entry.changes.values())


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_update_history_but_can_erase(make_user):
    """Under scripts/db-roles.sql's grants the app role may not UPDATE history nor INSERT tombstones; erasure works."""
    from audit.management.commands.apply_db_roles import script_statements
    from privacy import erasure

    case = make_referral(make_user(Role.REFERRER)).case
    officer, approver = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    entry = LogEntry.objects.get_for_object(case).earliest("timestamp")
    role = f"privacy_test_app_role_{uuid.uuid4().hex[:12]}"  # roles are shared by every database of the server
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        cursor.execute(f"CREATE ROLE {role}")
        for statement in script_statements(app_role=role, owner_role=owner, database=database):
            cursor.execute(statement)
        try:
            with transaction.atomic():
                cursor.execute(f"SET LOCAL ROLE {role}")
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    LogEntry.objects.filter(pk=entry.pk).update(object_repr="[erased]")
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    Tombstone.objects.create(
                        record_type=Tombstone.RecordType.CASE,
                        record_id=case.pk,
                        erased_at=timezone.now(),
                        rule="nfa-3-years",
                        requested_by=officer,
                        approved_by=approver,
                        certificate_number="DC-FORGED01",
                        erased_ids={"cases.case": [str(case.pk)]},
                    )
                erasure.erase_case(case, rule="nfa-3-years", requested_by=officer, approved_by=approver)
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    entry.refresh_from_db()
    assert entry.object_repr == triggers.REDACTED
