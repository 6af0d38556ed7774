"""The application's database role, connected as the application connects, cannot silence, rewrite or forge the audit.

A real LOGIN role gets scripts/db-roles.sql's grants through `apply_db_roles` (as in production) and a connection
of its own to the test database: no SET ROLE, so every attack here runs exactly as a compromised web or worker
process would run it. What an attack needs (a case, its note, a user, an erasure) is committed first, through
the services, as the superuser the test database belongs to.

The privilege snapshot lists every privilege the role ends up with; the expected list is
scripts/app-role-privileges.txt (regenerate with WRITE_APP_ROLE_PRIVILEGES=1, then review the diff).
"""

import os
import secrets
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from audit import row_capture
from privacy import triggers as privacy_triggers

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: database roles, grants and triggers (set DATABASE_URL; CI does)",
)

AUDIT_TABLES = ["audit_auditevent", "auditlog_logentry", "audit_rowchange", "audit_listedcase"]
# What the application may read but never change: the audit tables and the tombstones (and their SQLite marker).
PROTECTED_TABLES = [*AUDIT_TABLES, "privacy_tombstone", "privacy_erasureinprogress"]
EXPECTED_PRIVILEGES = Path(__file__).resolve().parents[2] / "scripts" / "app-role-privileges.txt"
REFUSED = "permission denied|must be owner"


def superuser(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture(scope="module")
def app_role(django_db_setup, django_db_blocker):
    """A LOGIN role, unique to this run and worker (roles belong to the whole server), with the production grants."""
    role = f"prevent_attacker_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{secrets.token_hex(4)}"
    with django_db_blocker.unblock():
        superuser(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION')
        call_command("apply_db_roles", app_role=role, stdout=StringIO())
    yield role
    with django_db_blocker.unblock():
        superuser(f'DROP OWNED BY "{role}"')  # its grants and default privileges
        superuser(f'DROP ROLE "{role}"')


class Session:
    """A connection of the application's role's own; each call is one transaction, committed or rolled back."""

    def __init__(self, role):
        database = connection.settings_dict
        self.connection = psycopg2.connect(
            dbname=database["NAME"], user=role, host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432
        )

    def run(self, *statements):
        """Run the statements in one transaction and commit it; return the last one's rows."""
        rows = None
        try:
            with self.connection.cursor() as cursor:
                for statement in statements:
                    sql, params = statement if isinstance(statement, tuple) else (statement, None)
                    cursor.execute(sql, params)
                    rows = cursor.fetchall() if cursor.description else None
        except Exception:
            self.connection.rollback()
            raise
        self.connection.commit()
        return rows

    def refused(self, *statements, match=REFUSED):
        """The last statement fails (those before it succeed); nothing of the transaction stays."""
        with pytest.raises(psycopg2.Error, match=match) as refusal:
            self.run(*statements)
        return str(refusal.value)


@pytest.fixture
def app(app_role):
    session = Session(app_role)
    yield session
    session.connection.close()


@pytest.fixture
def with_temporary_tables(app_role, django_db_blocker):
    """Give the role back the TEMPORARY right db-roles.sql takes away: the functions must not rely on that alone."""
    with django_db_blocker.unblock():
        superuser(f'GRANT TEMPORARY ON DATABASE "{connection.settings_dict["NAME"]}" TO "{app_role}"')
    yield
    with django_db_blocker.unblock():
        superuser(f'REVOKE TEMPORARY ON DATABASE "{connection.settings_dict["NAME"]}" FROM "{app_role}"')


def project_functions() -> list[str]:
    """Each function the project keeps in the database, with its argument types."""
    return [
        row[0]
        for row in superuser(
            "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
            "AND d.deptype = 'e') ORDER BY 1"
        )
    ]


# No data needed: the tables only need to exist (privileges are checked before any row is read).


@pytest.mark.parametrize("table", PROTECTED_TABLES)
def test_a_protected_table_cannot_be_updated_deleted_truncated_or_locked_for_writing(app, table):
    column = "event_id" if table == "audit_listedcase" else "id"
    app.refused(f"UPDATE {table} SET {column} = {column}")
    app.refused(f"DELETE FROM {table}")
    app.refused(f"TRUNCATE {table}")
    app.refused(f"DROP TABLE {table}")
    app.refused(f"ALTER TABLE {table} RENAME TO {table}_old")
    app.run(f"SELECT count(*) FROM {table}")


def test_tombstones_cannot_be_inserted_directly(app):
    app.refused(
        "INSERT INTO privacy_tombstone (record_type, record_id, erased_at, rule, requested_by_id, approved_by_id, "
        "certificate_number, erased_ids, counts) VALUES ('case', gen_random_uuid(), now(), 'nfa-3-years', 1, 2, "
        "'DC-FORGED00', '{}', '{}')"
    )
    app.refused("INSERT INTO privacy_erasureinprogress (tombstone_id) VALUES (1)")


def test_no_trigger_can_be_disabled_dropped_or_added(app, db):
    tables = superuser(
        "SELECT DISTINCT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace ORDER BY 1, 2"
    )
    triggered = {table for table, _ in tables}
    assert set(row_capture.CAPTURED_TABLES + row_capture.LATER_TABLES + PROTECTED_TABLES[:-1]) <= triggered
    for table, trigger in tables:
        app.refused(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        app.refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        app.refused(f"DROP TRIGGER {trigger} ON {table}")
    for table in sorted(triggered):
        app.refused(
            f"CREATE TRIGGER shadow BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()"
        )


def test_no_project_function_can_be_replaced_altered_dropped_or_called_but_the_erasures_two(app, app_role, db):
    functions = project_functions()
    assert "audit_capture_row_change()" in functions and len(functions) >= 10
    callable_ = {f"{signature.split('(')[0]}(" for signature in privacy_triggers.DEFINER_FUNCTIONS}
    for function in functions:
        name = function.split("(")[0]
        app.refused(f"ALTER FUNCTION {function} RESET search_path")
        app.refused(f"ALTER FUNCTION {function} SECURITY INVOKER")
        app.refused(f"ALTER FUNCTION {function} OWNER TO CURRENT_USER")
        app.refused(f"DROP FUNCTION {function}")
        app.refused(f"CREATE OR REPLACE FUNCTION public.{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN END $$")
        if not any(function.startswith(prefix) for prefix in callable_):
            privileges = superuser("SELECT has_function_privilege(%s, %s, 'EXECUTE')", [app_role, function])
            assert privileges == [(False,)], f"the application's role may call {function}"


def test_the_application_role_can_create_nothing_to_shadow_a_name(app):
    app.refused("CREATE TEMPORARY TABLE audit_rowchange (id int)", match="permission denied to create temporary")
    app.refused("CREATE FUNCTION pg_temp.now() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", match="permission denied")
    app.refused("CREATE TABLE public.audit_rowchange_copy (id int)", match="permission denied for schema public")
    app.refused(
        "CREATE FUNCTION public.txid_current() RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$",
        match="permission denied for schema public",
    )
    app.refused(
        "CREATE OPERATOR public.= (LEFTARG = jsonb, RIGHTARG = jsonb, FUNCTION = jsonb_ne)",
        match="permission denied for schema public",
    )
    app.refused("CREATE DOMAIN public.jsonb AS text", match="permission denied for schema public")
    app.refused("CREATE VIEW public.audit_view AS SELECT 1", match="permission denied for schema public")
    app.refused("CREATE SCHEMA shadow", match="permission denied for database")


def test_triggers_cannot_be_switched_off_for_a_session_or_the_role(app):
    match = 'permission denied to set parameter "session_replication_role"'
    app.refused("SET session_replication_role = replica", match=match)
    app.refused("SET LOCAL session_replication_role = replica", match=match)
    app.refused("SELECT set_config('session_replication_role', 'replica', false)", match=match)
    app.refused("ALTER ROLE CURRENT_USER SET session_replication_role = replica", match=match)


def test_the_application_role_cannot_become_another_role(app, db):
    owner = superuser("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_auditevent'")[0][0]
    app.refused(f'SET ROLE "{owner}"', match="permission denied to set role")
    app.refused(f'SET SESSION AUTHORIZATION "{owner}"', match="permission denied to set session authorization")


def privileges_of(role: str) -> list[str]:
    """Every privilege the role holds here, directly, through PUBLIC or through a role it belongs to: one a line."""
    return [
        row[0]
        for row in superuser(
            """
            SELECT 'database ' || p FROM unnest(ARRAY['CONNECT', 'CREATE', 'TEMPORARY']) p
                WHERE has_database_privilege(%(role)s, current_database(), p)
            UNION ALL
            SELECT 'schema ' || n.nspname || ' ' || p FROM pg_namespace n, unnest(ARRAY['USAGE', 'CREATE']) p
                WHERE n.nspname !~ '^pg_(toast|temp_)' AND has_schema_privilege(%(role)s, n.oid, p)
            UNION ALL
            SELECT 'table ' || c.relname || ' ' || p FROM pg_class c,
                unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                    AND has_table_privilege(%(role)s, c.oid, p)
            UNION ALL
            SELECT 'column ' || c.relname || '.' || a.attname || ' ' || p FROM pg_class c
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped,
                unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) p
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                    AND has_column_privilege(%(role)s, c.oid, a.attnum, p)
                    AND NOT has_table_privilege(%(role)s, c.oid, p)
            UNION ALL
            SELECT 'sequence ' || c.relname || ' ' || p FROM pg_class c, unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
                    AND has_sequence_privilege(%(role)s, c.oid, p)
            UNION ALL
            SELECT 'function ' || n.nspname || '.' || f.proname || '(' || oidvectortypes(f.proargtypes) || ') EXECUTE'
                FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND has_function_privilege(%(role)s, f.oid, 'EXECUTE')
            UNION ALL
            SELECT 'member of ' || r.rolname FROM pg_roles r
                WHERE r.rolname <> %(role)s AND pg_has_role(%(role)s, r.oid, 'MEMBER')
            UNION ALL
            SELECT 'parameter ' || pa.parname || ' ' || a.privilege_type FROM pg_parameter_acl pa,
                aclexplode(pa.paracl) a
                WHERE a.grantee = 0 OR a.grantee = (SELECT oid FROM pg_roles WHERE rolname = %(role)s)
            UNION ALL
            SELECT 'owns ' || pg_describe_object(d.classid, d.objid, d.objsubid) FROM pg_shdepend d
                WHERE d.deptype = 'o' AND d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = %(role)s)
            ORDER BY 1
            """,
            {"role": role},
        )
    ]


def expected_privileges() -> list[str]:
    lines = EXPECTED_PRIVILEGES.read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_the_application_role_holds_exactly_the_privileges_listed_in_the_repository(app_role, db):
    held = privileges_of(app_role)
    if os.environ.get("WRITE_APP_ROLE_PRIVILEGES"):
        header = [line for line in EXPECTED_PRIVILEGES.read_text().splitlines() if line.startswith("#")]
        EXPECTED_PRIVILEGES.write_text("\n".join([*header, *held]) + "\n")
    expected = expected_privileges()
    unexpected = sorted(set(held) - set(expected))
    missing = sorted(set(expected) - set(held))
    assert not unexpected and not missing, (
        f"The application's role holds privileges {EXPECTED_PRIVILEGES.name} does not list: {unexpected}; "
        f"and lacks ones it lists: {missing}. If scripts/db-roles.sql meant it, regenerate with "
        "WRITE_APP_ROLE_PRIVILEGES=1 and review the diff."
    )
    # Whatever the list says, these never: owning or joining anything, creating anything, changing the audit.
    assert not [line for line in held if line.startswith(("owns ", "member of ", "parameter "))]
    assert not {"database CREATE", "database TEMPORARY", "schema public CREATE"} & set(held)
    for table in PROTECTED_TABLES:
        allowed = {"SELECT", "INSERT"} if table in AUDIT_TABLES else {"SELECT"}
        assert {line.split()[2] for line in held if line.split()[:2] == ["table", table]} == allowed, table


# Attacks that need committed data.
