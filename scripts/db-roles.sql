-- Database roles for production: the application may read and append to the audit tables, never
-- UPDATE, DELETE or TRUNCATE them; it may read tombstones but write them only through the erasure's
-- function; it may create nothing (no temporary tables, nothing in a schema) and call only the two
-- functions the erasure needs. scripts/app-role-privileges.txt lists every privilege it ends up with.
--
-- Two roles, created once by the database administrator (neither a superuser, the app role not a
-- member of the owner role):
--   CREATE ROLE prevent_owner LOGIN PASSWORD '...';   -- owns the tables, runs `manage.py migrate`
--   CREATE ROLE prevent_app LOGIN PASSWORD '...';     -- what web, worker and beat connect as
--   ALTER DATABASE prevent OWNER TO prevent_owner;  ALTER SCHEMA public OWNER TO prevent_owner;
--
-- Then, after the first `migrate` (as prevent_owner) and again after any migration that adds tables,
-- as a superuser or as prevent_owner:
--   psql -v ON_ERROR_STOP=1 -v owner_role=prevent_owner -v app_role=prevent_app -d prevent -f scripts/db-roles.sql
--
-- Safe to run again. tests/audit/test_roles.py applies these same statements to a throwaway role and
-- proves the refusals, and tests/audit/test_app_role_attacks.py attacks from a real login role with them and
-- compares its privileges with scripts/app-role-privileges.txt: keep them plain SQL statements, one per `;`.

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";

-- Nothing to create: no schema, nothing in public, no temporary table (one could stand in for a real table
-- in an unqualified name; the app uses none). PostgreSQL 15 already keeps CREATE on public from PUBLIC.
REVOKE CREATE, TEMPORARY ON DATABASE :"DBNAME" FROM PUBLIC;
REVOKE CREATE, TEMPORARY ON DATABASE :"DBNAME" FROM :"app_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM :"app_role";

-- Everything else: the ordinary rights of an application (no TRUNCATE, no DDL).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";

-- The audit tables: read and append only. Their id sequences stay usable (USAGE above), so INSERT works.
REVOKE ALL ON audit_auditevent, auditlog_logentry, audit_rowchange, audit_listedcase FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditevent, auditlog_logentry, audit_rowchange, audit_listedcase
    FROM :"app_role";
GRANT SELECT, INSERT ON audit_auditevent, auditlog_logentry, audit_rowchange, audit_listedcase TO :"app_role";

-- Tombstones: read only. The erasure writes them through privacy_write_tombstone (below), which refuses one
-- naming a live record; the SQLite-only marker table is never written on PostgreSQL.
REVOKE ALL ON privacy_tombstone, privacy_erasureinprogress FROM PUBLIC;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON privacy_tombstone, privacy_erasureinprogress
    FROM :"app_role";
GRANT SELECT ON privacy_tombstone, privacy_erasureinprogress TO :"app_role";

-- Functions: nobody calls the project's functions but their owner, except the erasure's two SECURITY DEFINER
-- functions (privacy/triggers.py), which the application calls. Triggers fire whatever EXECUTE says.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_redact_history(bigint, bigint[]) TO :"app_role";
GRANT EXECUTE ON FUNCTION privacy_write_tombstone(text, uuid, timestamptz, timestamptz, timestamptz, text, bigint,
    bigint, text, jsonb, jsonb) TO :"app_role";
