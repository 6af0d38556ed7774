"""The one narrow path through which an erasure may redact django-auditlog's field-level history.

`auditlog_logentry` is append-only (audit/triggers.py): UPDATE and DELETE are refused. An erasure must
blank the old values that history holds about the erased records, so the UPDATE trigger of that table
lets one kind of UPDATE through, and only inside an erasure:

- PostgreSQL: the transaction has set `privacy.erasure_id` (transaction-local) to the id of a
  `privacy_tombstone` row that this same transaction inserted (its `transaction_id`, stamped by the
  database on insert, equals `txid_current()`); a session that sets the flag without inserting a
  tombstone, or names an older one, is refused. The application's role holds no UPDATE right on the
  table at all (scripts/db-roles.sql): it calls `privacy_redact_history(tombstone, entry ids)`, a
  SECURITY DEFINER function that sets the flag and writes the redacted form, and nothing else (only the
  application's role may EXECUTE it). A case or referral must also be gone from its table: a tombstone
  naming a record that still exists opens none of its history.
- SQLite: a `privacy_erasureinprogress` row exists; the erasure writes and deletes it in its own
  transaction, so no other connection ever sees one (SQLite has one writer at a time).

And in both: the log entry is about a record the tombstone lists as erased; only `object_repr`,
`changes`, `changes_text`, `serialized_data` and `additional_data` change, and only to the redacted form
(`[erased]`, each changed field's old and new value `[erased]`, blank text, nulls); every other column
(the action, the time, the actor, the record's type and id) stays. DELETE is still refused, and there is
no switch that turns the protection off. Tombstones themselves are append-only on PostgreSQL.
"""

# Every statement here is built from this module's constants, never from input.
# ruff: noqa: S608

ERASURE_SETTING = "privacy.erasure_id"
REDACTED = "[erased]"
REDACTED_CHANGE = f'["{REDACTED}","{REDACTED}"]'
REDACTABLE_COLUMNS = ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"]
# auditlog_logentry's columns (django-auditlog 3.4.1): all but the redactable ones must stay as they are.
KEPT_COLUMNS = [
    "id",
    "content_type_id",
    "object_pk",
    "object_id",
    "action",
    "actor_id",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "actor_email",
]

_PG_STAMP = """
CREATE OR REPLACE FUNCTION privacy_stamp_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.transaction_id := txid_current();
    RETURN NEW;
END
$$;
"""

# The history of these records may be blanked only once the record itself is gone: a tombstone is an ordinary
# INSERT, so without this a compromised application connection could name a live record and blank its history.
# Their primary keys are UUIDs; only the canonical text form django-auditlog writes is looked up (an entry
# holding any other form cannot be the history of a live record).
LIVE_RECORD_TABLES = {"cases.case": "cases_case", "referrals.referral": "referrals_referral"}
_UUID = "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"
_PG_LIVE_CHECKS = "\n".join(
    f"""        ELSIF label = '{label}' THEN
            live := EXISTS (SELECT 1 FROM {table} WHERE id = OLD.object_pk::uuid);"""
    for label, table in LIVE_RECORD_TABLES.items()
)

_PG_GUARD = f"""
CREATE OR REPLACE FUNCTION privacy_logentry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    erasure text := current_setting('{ERASURE_SETTING}', true);
    label text;
    live boolean := false;
BEGIN
    IF TG_OP = 'UPDATE' AND erasure ~ '^[0-9]{{1,18}}$' THEN
        SELECT ct.app_label || '.' || ct.model INTO label FROM django_content_type ct WHERE ct.id = OLD.content_type_id;
        IF OLD.object_pk !~ '{_UUID}' THEN
            live := false;
{_PG_LIVE_CHECKS}
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND erasure ~ '^[0-9]{{1,18}}$' AND NOT live
        AND EXISTS (
            SELECT 1 FROM privacy_tombstone t JOIN django_content_type ct ON ct.id = OLD.content_type_id
            WHERE t.id = erasure::bigint AND t.transaction_id = txid_current()
                AND t.erased_ids -> (ct.app_label || '.' || ct.model) ? OLD.object_pk
        )
        AND (to_jsonb(NEW) - ARRAY{REDACTABLE_COLUMNS!r}) = (to_jsonb(OLD) - ARRAY{REDACTABLE_COLUMNS!r})
        AND NEW.object_repr = '{REDACTED}' AND NEW.changes_text = ''
        AND NEW.serialized_data IS NULL AND NEW.additional_data IS NULL
        AND (NEW.changes IS NULL OR (
            jsonb_typeof(NEW.changes) = 'object'
            AND NOT EXISTS (
                SELECT 1 FROM jsonb_each(NEW.changes) e
                WHERE e.value <> '{REDACTED_CHANGE}'::jsonb OR OLD.changes IS NULL OR NOT (OLD.changes ? e.key)
            )
        ))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

# PostgreSQL's one path: the application's role holds no UPDATE on the history table (scripts/db-roles.sql);
# this function, owned by the role that ran the migration, makes the one redacting UPDATE and nothing else,
# and the trigger above still checks that the tombstone is this transaction's and lists each entry's record.
_PG_REDACT = f"""
CREATE OR REPLACE FUNCTION privacy_redact_history(tombstone_id bigint, entry_ids bigint[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    redacted integer;
BEGIN
    PERFORM set_config('{ERASURE_SETTING}', tombstone_id::text, true);
    UPDATE auditlog_logentry SET
        object_repr = '{REDACTED}', changes_text = '', serialized_data = NULL, additional_data = NULL,
        changes = CASE WHEN jsonb_typeof(changes) = 'object' THEN (
            SELECT COALESCE(jsonb_object_agg(k, '{REDACTED_CHANGE}'::jsonb), '{{}}'::jsonb)
            FROM jsonb_object_keys(changes) k
        ) END
    WHERE id = ANY(entry_ids);
    GET DIAGNOSTICS redacted = ROW_COUNT;
    PERFORM set_config('{ERASURE_SETTING}', '', true);
    RETURN redacted;
END
$$;
"""
REDACT_CALL = "SELECT privacy_redact_history(%s, %s)"


def _sqlite_allowed() -> str:
    kept = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in KEPT_COLUMNS)
    return (
        "EXISTS (SELECT 1 FROM privacy_erasureinprogress m "
        "JOIN privacy_tombstone t ON t.id = m.tombstone_id "
        "JOIN django_content_type ct ON ct.id = OLD.content_type_id, "
        "json_each(t.erased_ids, '$.\"' || ct.app_label || '.' || ct.model || '\"') j "
        "WHERE j.value = OLD.object_pk) "
        f"AND {kept} "
        f"AND NEW.object_repr = '{REDACTED}' AND NEW.changes_text = '' "
        "AND NEW.serialized_data IS NULL AND NEW.additional_data IS NULL "
        "AND (NEW.changes IS NULL OR (json_type(NEW.changes) = 'object' AND NOT EXISTS ("
        "SELECT 1 FROM json_each(NEW.changes) e "
        f"WHERE e.value IS NOT '{REDACTED_CHANGE}' OR OLD.changes IS NULL "
        "OR json_type(OLD.changes, '$.\"' || e.key || '\"') IS NULL)))"
    )


def guard_sql(vendor: str) -> list[str]:
    """Return the statements that replace the PostgreSQL history guard with the current one (none on SQLite)."""
    return [_PG_GUARD] if vendor == "postgresql" else []


def create_sql(vendor: str) -> list[str]:
    """Return the statements that let an erasure, and nothing else, redact field-level history."""
    if vendor == "postgresql":
        return [
            _PG_STAMP,
            "CREATE TRIGGER privacy_tombstone_stamp BEFORE INSERT ON privacy_tombstone "
            "FOR EACH ROW EXECUTE FUNCTION privacy_stamp_tombstone();",
            # audit_refuse_change() comes from audit/triggers.py (migration audit 0002).
            "CREATE TRIGGER privacy_tombstone_append_only BEFORE UPDATE OR DELETE ON privacy_tombstone "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
            _PG_GUARD,
            _PG_REDACT,
            "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry;",
            "CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry "
            "FOR EACH ROW EXECUTE FUNCTION privacy_logentry_guard();",
        ]
    if vendor == "sqlite":
        return sqlite_logentry_sql()
    raise NotImplementedError(f"No erasure triggers for {vendor}")


def sqlite_logentry_sql() -> list[str]:
    """Return the SQLite statements that replace the history table's UPDATE trigger with the erasure-aware one."""
    table = "auditlog_logentry"
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} WHEN NOT ({_sqlite_allowed()}) "
        f"BEGIN SELECT RAISE(ABORT, 'audit table {table} is append-only: UPDATE refused'); END;",
    ]


def reinstall_after_flush(connection) -> None:
    """Put the erasure-aware SQLite trigger back after `flush` restored the plain one (config.sqlite)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'privacy_erasureinprogress'")
        if cursor.fetchone() is None:
            return
        for statement in sqlite_logentry_sql():
            cursor.execute(statement)
