"""The SQL that makes audit tables append-only, for PostgreSQL and SQLite.

The migration installs it; `config.sqlite` reuses it around flush. One home for the rule.
"""

APPEND_ONLY_TABLES = ["audit_auditevent", "auditlog_logentry"]

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def create_sql(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    """Return the statements that make each table refuse UPDATE and DELETE."""
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
            for table in tables
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'audit table {table} is append-only: {op} refused'); END;"
            for table in tables
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"No append-only triggers for {vendor}")


def drop_sql(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    """Return the statements that remove the append-only triggers."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in tables]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for table in tables for op in ("update", "delete")]
