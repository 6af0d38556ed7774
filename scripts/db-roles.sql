-- Database roles for production: the application may read and append to the audit tables, never
-- UPDATE, DELETE or TRUNCATE them.
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
-- proves the refusals: keep them plain SQL statements, one per `;`.

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";

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

-- Erasure's one way to blank field-level history (privacy/triggers.py): a SECURITY DEFINER function, so
-- only the application may call it, not every role that can connect.
REVOKE EXECUTE ON FUNCTION privacy_redact_history(bigint, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_redact_history(bigint, bigint[]) TO :"app_role";
