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
  application's role may EXECUTE it). The entry must be about a kind of record an erasure erases
  (`privacy.erasure.erased_models`: a case, a referral and what hangs from them, never a user or an
  organisation) and that record must be gone from its table (`privacy_record_is_gone`).
  Tombstones are written only by `privacy_write_tombstone`, another SECURITY DEFINER function: the
  application's role may not INSERT into the tombstone table, and the function refuses a tombstone
  that names a live record, a kind of record an erasure does not erase, or a record already erased.
- SQLite: a `privacy_erasureinprogress` row exists; the erasure writes and deletes it in its own
  transaction, so no other connection ever sees one (SQLite has one writer at a time).

And in both: the log entry is about a record the tombstone lists as erased; only `object_repr`,
`changes`, `changes_text`, `serialized_data` and `additional_data` change, and only to the redacted form
(`[erased]`, each changed field's old and new value `[erased]`, blank text, nulls); every other column
(the action, the time, the actor, the record's type and id) stays. DELETE is still refused, and there is
no switch that turns the protection off. Tombstones themselves are append-only on PostgreSQL.
"""

# Every statement here is built from this module's constants and the models' own names, never from input.
# ruff: noqa: S608

from django.apps import apps as django_apps
from django.db import models
from django.db.models.deletion import CASCADE, get_candidate_relations_to_delete

from audit.erasure import RULE
from audit.triggers import FIXED_PATH

RULE_PATTERN = RULE.pattern

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

_PG_STAMP = f"""
CREATE OR REPLACE FUNCTION public.privacy_stamp_tombstone() RETURNS trigger LANGUAGE plpgsql {FIXED_PATH} AS $$
BEGIN
    NEW.transaction_id := txid_current();
    RETURN NEW;
END
$$;
"""

# The text forms of primary keys that Django writes (str(pk)): only these are looked up, so any other form
# of an id (upper case, braces, leading zeros) names no record that erasure could have erased.
_CANONICAL_PK = {
    "uuid": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    "bigint": "^[1-9][0-9]{0,17}$",
}
_PK_KIND = {"UUIDField": "uuid", "AutoField": "bigint", "BigAutoField": "bigint", "SmallAutoField": "bigint"}


# What an erasure deletes itself; the rest of what it erases cascades from these (Django's Collector).
ROOTS = ["cases.case", "referrals.referral", "referrals.advicerequest"]


def erased_models(registry=None) -> list[type[models.Model]]:
    """Return every model an erasure deletes rows of: the roots and all that cascades from them.

    The database's history guard and tombstone function accept these kinds of record and no other
    (privacy/triggers.py); `registry` is a migration's historical apps, or the live ones.
    """
    registry = registry or django_apps
    found: dict[str, type[models.Model]] = {}
    frontier = [registry.get_model(label) for label in ROOTS]
    while frontier:
        model = frontier.pop()
        if model._meta.label_lower in found:
            continue
        found[model._meta.label_lower] = model
        frontier.extend(
            relation.related_model
            for relation in get_candidate_relations_to_delete(model._meta)
            if relation.on_delete is CASCADE
        )
    return [found[label] for label in sorted(found)]


def erasable_tables(registry=None) -> dict[str, tuple[str, str, str]]:
    """Return, for each kind of record an erasure erases, its table, primary key column and key type.

    From `erased_models` (one home): the erasure's roots and everything that cascades from them.
    """
    tables = {}
    for model in erased_models(registry):
        pk = model._meta.pk
        kind = _PK_KIND.get(pk.get_internal_type())
        if kind is None:
            raise NotImplementedError(f"{model._meta.label_lower}: no canonical form known for a {type(pk).__name__}")
        tables[model._meta.label_lower] = (model._meta.db_table, pk.column, kind)
    return dict(sorted(tables.items()))


def _pg_is_gone(erasable: dict[str, tuple[str, str, str]]) -> str:
    """True only for a kind of record an erasure erases, a canonical id, and no such row: else false, never NULL."""
    branches = "\n".join(
        f"""        WHEN '{label}' THEN
            IF pk !~ '{_CANONICAL_PK[kind]}' THEN
                RETURN false;
            END IF;
            RETURN NOT EXISTS (SELECT 1 FROM public.{table} r WHERE r.{column} = pk::{kind});"""
        for label, (table, column, kind) in erasable.items()
    )
    return f"""
CREATE OR REPLACE FUNCTION public.privacy_record_is_gone(label text, pk text) RETURNS boolean
LANGUAGE plpgsql STABLE {FIXED_PATH} AS $$
#variable_conflict use_variable
BEGIN
    IF label IS NULL OR pk IS NULL THEN
        RETURN false;
    END IF;
    CASE label
{branches}
        ELSE
            RETURN false;
    END CASE;
END
$$;
"""


# An UPDATE of the history table passes only inside an erasure (the flag names this transaction's tombstone),
# for an entry about a record that tombstone lists, of a kind an erasure erases and gone from its table,
# and only to the redacted form.
_PG_GUARD = f"""
CREATE OR REPLACE FUNCTION public.privacy_logentry_guard() RETURNS trigger LANGUAGE plpgsql {FIXED_PATH} AS $$
DECLARE
    erasure text := current_setting('{ERASURE_SETTING}', true);
    label text;
    gone boolean := false;
BEGIN
    IF TG_OP = 'UPDATE' AND erasure ~ '^[0-9]{{1,18}}$' THEN
        SELECT ct.app_label || '.' || ct.model INTO label
            FROM public.django_content_type ct WHERE ct.id = OLD.content_type_id;
        gone := public.privacy_record_is_gone(label, OLD.object_pk);
    END IF;
    IF gone
        AND EXISTS (
            SELECT 1 FROM public.privacy_tombstone t
            WHERE t.id = erasure::bigint AND t.transaction_id = txid_current() AND t.erased_ids -> label ? OLD.object_pk
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
CREATE OR REPLACE FUNCTION public.privacy_redact_history(tombstone_id bigint, entry_ids bigint[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER {FIXED_PATH} AS $$
DECLARE
    redacted integer;
BEGIN
    PERFORM set_config('{ERASURE_SETTING}', tombstone_id::text, true);
    UPDATE public.auditlog_logentry SET
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
REDACT_CALL = "SELECT public.privacy_redact_history(%s, %s)"

# The only way a tombstone is written on PostgreSQL (the application's role has no INSERT on the table). Whoever
# holds that role can call it with anything, so it checks what it is told: the tombstone is for a case or a
# referral and lists that record among the erased; every record it lists is of a kind an erasure erases, named
# by its canonical id, and gone from its table; no tombstone exists yet for that record; two different people
# asked and approved, under a rule's code. It cannot make a live record look erased.
_TOMBSTONE_TOP = {"case": "cases.case", "referral": "referrals.referral"}
_PG_WRITE_TOMBSTONE = f"""
CREATE OR REPLACE FUNCTION public.privacy_write_tombstone(
    kind text, erased_record uuid, received timestamptz, closed timestamptz, erased timestamptz, rule_code text,
    requester bigint, approver bigint, certificate text, erased_ids jsonb, tallies jsonb
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER {FIXED_PATH} AS $$
#variable_conflict use_variable
DECLARE
    top text := CASE kind {" ".join(f"WHEN '{kind}' THEN '{label}'" for kind, label in _TOMBSTONE_TOP.items())} END;
    label text;
    ids jsonb;
    written bigint;
BEGIN
    IF top IS NULL OR erased_record IS NULL THEN
        RAISE EXCEPTION 'a tombstone is for a case or a referral' USING ERRCODE = 'check_violation';
    END IF;
    IF jsonb_typeof(erased_ids) IS DISTINCT FROM 'object'
        OR NOT COALESCE(erased_ids -> top ? erased_record::text, false) THEN
        RAISE EXCEPTION 'a tombstone must list its own record among the erased' USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM public.privacy_tombstone t WHERE t.record_id = erased_record) THEN
        RAISE EXCEPTION 'this record already has a tombstone' USING ERRCODE = 'check_violation';
    END IF;
    IF requester IS NULL OR approver IS NULL OR requester = approver THEN
        RAISE EXCEPTION 'an erasure is asked for and approved by two different people'
            USING ERRCODE = 'check_violation';
    END IF;
    IF rule_code IS NULL OR rule_code !~ '^{RULE_PATTERN}$' THEN
        RAISE EXCEPTION 'the rule must be a retention rule''s code' USING ERRCODE = 'check_violation';
    END IF;
    FOR label, ids IN SELECT e.key, e.value FROM jsonb_each(erased_ids) e LOOP
        IF jsonb_typeof(ids) IS DISTINCT FROM 'array' OR EXISTS (
            SELECT 1 FROM jsonb_array_elements(ids) i
            WHERE jsonb_typeof(i) <> 'string' OR NOT public.privacy_record_is_gone(label, i #>> '{{}}')
        ) THEN
            RAISE EXCEPTION 'a tombstone may list only erased records: a % it lists is live or of a kind not erased',
                label USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    INSERT INTO public.privacy_tombstone (
        record_type, record_id, received_at, closed_at, erased_at, rule, requested_by_id, approved_by_id,
        certificate_number, erased_ids, counts
    ) VALUES (
        kind, erased_record, received, closed, erased, rule_code, requester, approver, certificate, erased_ids,
        COALESCE(tallies, '{{}}'::jsonb)
    ) RETURNING id INTO written;
    RETURN written;
END
$$;
"""
WRITE_TOMBSTONE_CALL = (
    "SELECT public.privacy_write_tombstone(%s, %s::uuid, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb)"
)
# The functions no role but the owner (and, by scripts/db-roles.sql, the application's) may call.
DEFINER_FUNCTIONS = [
    "privacy_redact_history(bigint, bigint[])",
    "privacy_write_tombstone(text, uuid, timestamptz, timestamptz, timestamptz, text, bigint, bigint, text, jsonb, "
    "jsonb)",
]
_OWNER_ONLY = [*DEFINER_FUNCTIONS, "privacy_record_is_gone(text, text)"]


def function_sql(registry=None) -> list[str]:
    """Return the PostgreSQL statements that (re)create every privacy function, triggers untouched.

    EXECUTE is taken from PUBLIC at once for the SECURITY DEFINER functions and the lookup they share;
    scripts/db-roles.sql gives the application's role what it needs.
    """
    return [
        _PG_STAMP,
        _pg_is_gone(erasable_tables(registry)),
        _PG_GUARD,
        _PG_REDACT,
        _PG_WRITE_TOMBSTONE,
        *[f"REVOKE EXECUTE ON FUNCTION public.{function} FROM PUBLIC;" for function in _OWNER_ONLY],
    ]


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
    return [_pg_is_gone(erasable_tables()), _PG_GUARD] if vendor == "postgresql" else []


def create_sql(vendor: str) -> list[str]:
    """Return the statements that let an erasure, and nothing else, redact field-level history."""
    if vendor == "postgresql":
        return [
            _PG_STAMP,
            _pg_is_gone(erasable_tables()),
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
