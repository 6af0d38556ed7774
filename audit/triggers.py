"""The SQL that keeps the audit tables append-only and chains every event, for PostgreSQL and SQLite.

Migrations install it; `config.sqlite` reuses it around flush and registers the SQLite functions. One
home for the database-side audit rules.

The chain: as each `audit_auditevent` row is inserted, the database gives it the next `seq`, the hash of
the event before it (`prev_hash`, 64 zeros for the first) and its own `hash` = SHA-256 of `prev_hash`
followed by the event's canonical text. The canonical text is a JSON array of the event's fields, built by
one SQL expression (`_pg_canonical`, also installed as the function `audit_event_canonical(...)`; on SQLite
that function is Python's `sqlite_canonical`); `audit.chain` recomputes the hashes from it.

Every PostgreSQL function here fixes its search_path (`FIXED_PATH`) and names tables with their schema, so
no temporary table or object in another schema can stand in for what it reads or writes.
"""

# Every statement here is built from this module's constants, never from input.
# ruff: noqa: S608

import datetime
import hashlib
import json
import uuid

APPEND_ONLY_TABLES = ["audit_auditevent", "auditlog_logentry", "audit_rowchange", "audit_listedcase"]
# What migrations 0002 and 0003 protected (audit_rowchange did not exist yet): they still call these.
_FIRST_TABLES = APPEND_ONLY_TABLES[:2]

GENESIS_HASH = "0" * 64
# The fields an event's hash covers, in the order of the canonical array (after seq).
CONTENT_COLUMNS = [
    "occurred_at",
    "actor_id",
    "actor_roles",
    "actor_organisation_id",
    "action",
    "target_type",
    "target_id",
    "case_id",
    "ip_address",
    "request_id",
    "reason",
    "details",
]
CANONICAL_CALL = f"audit_event_canonical(seq, {', '.join(CONTENT_COLUMNS)})"
# Held by every inserting transaction until it ends, so writers take their turn and never fork the chain.
CHAIN_LOCK_KEY = 0x4155444954  # "AUDIT"
# The last link, remembered for the rest of the inserting transaction (set_config(..., is_local => true)).
HEAD_SETTING = "audit.chain_head"

# Every function the project creates in PostgreSQL runs with this search_path, and names the tables and
# project functions it uses with their schema: the catalog comes first, so nothing of the same name in
# another schema can stand in for a built-in function, operator or type; the temporary schema is put
# last explicitly (left out, PostgreSQL searches it first for tables and types), so a temporary table
# never stands in for a real one even where a role may create one.
SEARCH_PATH = "pg_catalog, public, pg_temp"
FIXED_PATH = f"SET search_path = {SEARCH_PATH}"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION public.audit_refuse_change() RETURNS trigger LANGUAGE plpgsql {FIXED_PATH} AS $$
BEGIN
    RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

# Superusers may truncate (the test runner's flush is a TRUNCATE): they could disable any trigger anyway.
# Everyone else, the owner role that runs migrations included, is refused.
_PG_TRUNCATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION public.audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql {FIXED_PATH} AS $$
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        PERFORM pg_catalog.set_config('{HEAD_SETTING}', '', true);
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit table % is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def _pg_canonical(values: list[str]) -> str:
    """Return the expression of an event's canonical text from its seq and content values, in that order.

    json_build_array prints the same text as jsonb_build_array, faster; `details` comes out in jsonb's
    normal form (keys by length, then bytewise), so equal events always give equal text. The one home of
    the canonical form on PostgreSQL: `audit_event_canonical`, the chain trigger and the verifier use it.
    """
    (seq, occurred_at, actor_id, actor_roles, organisation_id, action, target_type, target_id, case_id,
     ip_address, request_id, reason, details) = values  # fmt: skip
    return (
        f"json_build_array({seq}, to_char({occurred_at} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
        f"{actor_id}, {actor_roles}, {organisation_id}, {action}, {target_type}, {target_id}, {case_id}::text, "
        f"host({ip_address}), {request_id}, {reason}, {details})::text"
    )


def _pg_hash(prev_hash: str, canonical: str) -> str:
    return f"encode(sha256(convert_to({prev_hash} || {canonical}, 'UTF8')), 'hex')"


# The canonical text of the row a query reads (the verifier's batch): no function call per row.
PG_CANONICAL_OF_ROW = _pg_canonical(["seq", *CONTENT_COLUMNS])

_PG_CHAIN_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION public.audit_event_canonical(
    seq bigint, occurred_at timestamptz, actor_id bigint, actor_roles text, actor_organisation_id bigint,
    action text, target_type text, target_id text, case_id uuid, ip_address inet, request_id text,
    reason text, details jsonb
) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE {FIXED_PATH} AS $$
    SELECT {PG_CANONICAL_OF_ROW}
$$;
""",
    f"""
CREATE OR REPLACE FUNCTION public.audit_chain_hash(prev_hash text, canonical text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE {FIXED_PATH} AS $$
    SELECT {_pg_hash("prev_hash", "canonical")}
$$;
""",
    # The first insert of a transaction takes the chain's lock (held until the transaction ends) and reads
    # the last link; later inserts in the same transaction read it from a transaction-local setting, which
    # makes a batch several times faster. A setting forged by a session can only make its insert fail (the
    # unique seq) or leave a link that does not follow (the verifier reports it), never a silent fork.
    # An INSERT whose row is then skipped (ON CONFLICT DO NOTHING) would leave a gap: never use one here.
    # The hash is computed in place, not by calling the two functions above: a function with a fixed
    # search_path is never inlined, and two such calls would cost each insert several microseconds.
    f"""
CREATE OR REPLACE FUNCTION public.audit_event_chain() RETURNS trigger LANGUAGE plpgsql {FIXED_PATH} AS $$
DECLARE
    head text := pg_catalog.current_setting('{HEAD_SETTING}', true);
    last_seq bigint;
    last_hash text;
BEGIN
    IF head IS NULL OR head = '' THEN
        PERFORM pg_catalog.pg_advisory_xact_lock({CHAIN_LOCK_KEY});
        SELECT e.seq, e.hash INTO last_seq, last_hash
            FROM public.audit_auditevent e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
    ELSE
        last_seq := pg_catalog.split_part(head, ':', 1)::bigint;
        last_hash := pg_catalog.split_part(head, ':', 2);
    END IF;
    NEW.seq := COALESCE(last_seq, 0) + 1;
    NEW.prev_hash := COALESCE(last_hash, '{GENESIS_HASH}');
    NEW.hash := {_pg_hash("NEW.prev_hash", _pg_canonical([f"NEW.{column}" for column in ["seq", *CONTENT_COLUMNS]]))};
    PERFORM pg_catalog.set_config('{HEAD_SETTING}', NEW.seq || ':' || NEW.hash, true);
    RETURN NEW;
END
$$;
""",
]


def function_sql() -> list[str]:
    """Return the PostgreSQL statements that (re)create every audit function, triggers untouched."""
    return [_PG_FUNCTION, _PG_TRUNCATE_FUNCTION, *_PG_CHAIN_FUNCTIONS]


# SQLite cannot change NEW in a trigger: the row is chained by an UPDATE right after its INSERT (SQLite
# has one writer at a time, so no fork). The same statement chains rows that predate the trigger.
_SQLITE_LAST_SEQ = "(SELECT MAX(e.seq) FROM audit_auditevent e)"
_SQLITE_PREV_HASH = (
    f"COALESCE((SELECT e.hash FROM audit_auditevent e WHERE e.seq = {_SQLITE_LAST_SEQ}), '{GENESIS_HASH}')"
)
_SQLITE_NEXT_SEQ = f"(COALESCE({_SQLITE_LAST_SEQ}, 0) + 1)"
_SQLITE_CHAIN_UPDATE = (
    f"UPDATE audit_auditevent SET seq = {_SQLITE_NEXT_SEQ}, prev_hash = {_SQLITE_PREV_HASH}, "
    f"hash = audit_chain_hash({_SQLITE_PREV_HASH}, "
    f"audit_event_canonical({_SQLITE_NEXT_SEQ}, {', '.join(CONTENT_COLUMNS)}))"
)


def create_sql(vendor: str, tables=_FIRST_TABLES) -> list[str]:
    """Return the statements that make each table refuse UPDATE and DELETE.

    On SQLite the events table lets one UPDATE through: the chain trigger's filling in of an unchained
    row's seq, prev_hash and hash, changing nothing else.
    """
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
            for table in tables
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} {_sqlite_when(table, op)}"
            f"BEGIN SELECT RAISE(ABORT, 'audit table {table} is append-only: {op} refused'); END;"
            for table in tables
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"No append-only triggers for {vendor}")


def _sqlite_when(table: str, op: str) -> str:
    if table != "audit_auditevent" or op != "UPDATE":
        return ""
    changed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in ["id", *CONTENT_COLUMNS])
    return f"WHEN OLD.hash <> '' OR NEW.hash = '' OR {changed} "


def drop_sql(vendor: str, tables=_FIRST_TABLES) -> list[str]:
    """Return the statements that remove the append-only triggers."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in tables]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for table in tables for op in ("update", "delete")]


def truncate_guard_sql(tables=APPEND_ONLY_TABLES) -> list[str]:
    """Return the PostgreSQL statements that refuse TRUNCATE on each table (grants refuse it first)."""
    return [_PG_TRUNCATE_FUNCTION] + [
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();"
        for table in tables
    ]


def chain_create_sql(vendor: str) -> list[str]:
    """Return the statements that chain every inserted event, whatever the insert path."""
    if vendor == "postgresql":
        return [
            *_PG_CHAIN_FUNCTIONS,
            "CREATE TRIGGER audit_auditevent_chain BEFORE INSERT ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_chain();",
        ]
    if vendor == "sqlite":
        return [
            "CREATE TRIGGER audit_auditevent_chain AFTER INSERT ON audit_auditevent BEGIN "
            "SELECT RAISE(ABORT, 'audit events are chained by the database: seq, prev_hash and hash must be empty') "
            "WHERE NEW.seq IS NOT NULL OR NEW.prev_hash <> '' OR NEW.hash <> ''; "
            f"{_SQLITE_CHAIN_UPDATE} WHERE id = NEW.id; END;"
        ]
    raise NotImplementedError(f"No chain trigger for {vendor}")


def chain_drop_sql(vendor: str) -> list[str]:
    """Return the statements that remove the chain trigger (its functions stay)."""
    if vendor == "postgresql":
        return ["DROP TRIGGER IF EXISTS audit_auditevent_chain ON audit_auditevent;"]
    return ["DROP TRIGGER IF EXISTS audit_auditevent_chain;"]


def chain_unchained_rows(connection) -> int:
    """Chain the events that have no link yet, in id order, after the last chained one; return how many.

    For rows written before the chain existed. Run by the migration, as the tables' owner.
    """
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait until this transaction ends; the append-only trigger (which refuses the chaining
            # UPDATE) is lifted inside this transaction only.
            cursor.execute("LOCK TABLE audit_auditevent IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE seq IS NULL")
            count = cursor.fetchone()[0]
            if count:
                # ALTER TABLE refuses while deferred constraint checks are queued: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
                cursor.execute(_PG_CHAIN_EXISTING, None)
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
                cursor.execute("SELECT set_config(%s, '', true)", [HEAD_SETTING])
            return count
        cursor.execute("SELECT id FROM audit_auditevent WHERE seq IS NULL ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        for pk in ids:
            cursor.execute(f"{_SQLITE_CHAIN_UPDATE} WHERE id = %s", [pk])
        return len(ids)


_PG_CHAIN_EXISTING = f"""
DO $$
DECLARE
    r record;
    last_seq bigint;
    last_hash text;
BEGIN
    SELECT e.seq, e.hash INTO last_seq, last_hash
        FROM public.audit_auditevent e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
    last_seq := COALESCE(last_seq, 0);
    last_hash := COALESCE(last_hash, '{GENESIS_HASH}');
    FOR r IN SELECT * FROM public.audit_auditevent WHERE seq IS NULL ORDER BY id LOOP
        last_seq := last_seq + 1;
        UPDATE public.audit_auditevent SET seq = last_seq, prev_hash = last_hash,
            hash = public.audit_chain_hash(last_hash, public.audit_event_canonical(
                last_seq, {", ".join(f"r.{column}" for column in CONTENT_COLUMNS)}
            ))
            WHERE id = r.id RETURNING hash INTO last_hash;
    END LOOP;
END
$$;
"""


# The SQLite side of `audit_event_canonical` and `audit_chain_hash`, registered on every connection by
# `config.sqlite`. They give the same text and hashes as the PostgreSQL functions for the same event.


def chain_hash(prev_hash: str, canonical: str) -> str:
    """Return the hex SHA-256 of the previous hash followed by the event's canonical text."""
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _jsonb_order(value):
    """Order object keys as PostgreSQL's jsonb prints them: shorter keys first, then bytewise."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return {key: _jsonb_order(value[key]) for key in keys}
    if isinstance(value, list):
        return [_jsonb_order(item) for item in value]
    return value


def sqlite_canonical(seq, occurred_at, actor_id, actor_roles, actor_organisation_id, action, target_type,
                     target_id, case_id, ip_address, request_id, reason, details) -> str:  # fmt: skip
    """Return an event's canonical text from the values SQLite stores (as `audit_event_canonical` does)."""
    moment = datetime.datetime.fromisoformat(occurred_at)
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    fields = [
        seq,
        moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id,
        actor_roles,
        actor_organisation_id,
        action,
        target_type,
        target_id,
        str(uuid.UUID(case_id)) if case_id else None,
        ip_address,
        request_id,
        reason,
        _jsonb_order(json.loads(details)) if details is not None else None,
    ]
    return json.dumps(fields, ensure_ascii=False)


SQLITE_FUNCTIONS = [
    ("audit_event_canonical", 1 + len(CONTENT_COLUMNS), sqlite_canonical),
    ("audit_chain_hash", 2, chain_hash),
]
