"""Database-side capture of every write to the core personal-data tables (PostgreSQL only).

A trigger on each table below writes one `RowChange` per row inserted, updated or deleted, whatever
the write path: `save()`, `QuerySet.update()`, `bulk_create`, `bulk_update`, cascades and raw SQL
alike. It records the table, the row's primary key as text, the operation, the names of the columns
written (never their values), the database role (`current_user`), the transaction (`txid_current()`)
and the time (`clock_timestamp()`, so rows of one transaction keep their order).

Columns recorded: INSERT, the columns given a value (not NULL); UPDATE, the columns whose value
changed, compared as jsonb (an UPDATE that changes nothing is still recorded, with no columns: a
write was made); DELETE, none (the whole row went).

The tables: those holding what is known about a person referred, what was decided about them and to
whom it was disclosed, plus staff accounts:
- referrals_referral (the answers), referrals_personkey (the name, birth and postcode keys used for
  matching), referrals_referrallink (two referrals combined as one person), referrals_attachment,
  referrals_advicerequest and referrals_advicemessage (free text that may name someone);
- cases_case, cases_casenote, cases_check (deconfliction), cases_assessment, cases_decision,
  cases_consent, cases_supportplan, cases_progressnote, cases_review, cases_providergrant and
  cases_agendaitem (disclosures to a provider or a panel), cases_casefiledisclosure (case files given
  outside the team) and cases_casedocument (officers' documents);
- accounts_user (staff names, e-mail addresses, passwords and roles' holders).
Left out: reference and configuration tables (organisations, concern types, assessment templates,
panel meetings' titles and dates), cases_caseevent (the case's chronology, written by the services
in the same transaction as the changes captured here), and the audit tables themselves.

The trigger runs with the rights of the role that writes (SECURITY INVOKER), so `current_user` is
the application's role, or whoever connected to change data by hand. Row triggers do not see
TRUNCATE: the application's role must not hold that privilege on these tables in production.

SQLite has no such triggers: there the capture is a no-op (development and the quick test run);
`make test` with DATABASE_URL set runs the tests that prove it on PostgreSQL.
"""

# The statements here are built from this module's constants, never from input.
# ruff: noqa: S608

from audit.triggers import FIXED_PATH

CAPTURED_TABLES = [
    "referrals_referral",
    "referrals_personkey",
    "referrals_referrallink",
    "referrals_attachment",
    "referrals_advicerequest",
    "referrals_advicemessage",
    "cases_case",
    "cases_casenote",
    "cases_check",
    "cases_assessment",
    "cases_decision",
    "cases_consent",
    "cases_supportplan",
    "cases_progressnote",
    "cases_review",
    "cases_providergrant",
    "cases_agendaitem",
    "accounts_user",
]
# Added by a later migration (0009), once their apps existed: corrections (old values, reasons),
# restrictions, retention decisions and holds, subject access requests and their exemptions.
LATER_TABLES = [
    "rights_rectification",
    "rights_restriction",
    "retention_retentionreview",
    "retention_retentiondecision",
    "retention_legalhold",
    "subject_access_subjectaccessrequest",
    "subject_access_withholding",
]
# Added by 0012: case files given outside the Prevent team (a disclosure, with the note naming its recipient).
CASE_FILE_TABLES = ["cases_casefiledisclosure"]
# Added by 0013: the documents officers add to a case (titles and descriptions may name the person).
CASE_DOCUMENT_TABLES = ["cases_casedocument"]
# Added by 0014: what members of the public send through the public form, and the team's replies.
PUBLIC_CONTACT_TABLES = ["front_door_publiccontact", "front_door_contactreply"]

FUNCTION = "audit_capture_row_change"

# Its search_path is fixed and its table named with its schema (audit.triggers.FIXED_PATH): a temporary
# `audit_rowchange` made by the writing session must never receive the captures in place of the real one.
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION public.audit_capture_row_change() RETURNS trigger LANGUAGE plpgsql {FIXED_PATH} AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    written jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        new_row := to_jsonb(NEW);
        SELECT coalesce(jsonb_agg(n.key ORDER BY n.key), '[]'::jsonb) INTO written
            FROM jsonb_each(new_row) AS n WHERE n.value <> 'null'::jsonb;
    ELSIF TG_OP = 'UPDATE' THEN
        old_row := to_jsonb(OLD);
        new_row := to_jsonb(NEW);
        SELECT coalesce(jsonb_agg(n.key ORDER BY n.key), '[]'::jsonb) INTO written
            FROM jsonb_each(new_row) AS n WHERE n.value IS DISTINCT FROM old_row -> n.key;
    ELSE
        old_row := to_jsonb(OLD);
        written := '[]'::jsonb;
    END IF;
    INSERT INTO public.audit_rowchange (
        occurred_at, table_name, row_id, operation, columns, database_user, transaction_id
    ) VALUES (
        clock_timestamp(),
        TG_TABLE_NAME,
        coalesce(new_row, old_row) ->> TG_ARGV[0],
        TG_OP,
        written,
        current_user,
        txid_current()
    );
    RETURN NULL;
END
$$;
"""


def function_sql() -> list[str]:
    """Return the PostgreSQL statement that (re)creates the capture function, triggers untouched."""
    return [_PG_FUNCTION]


def _trigger(table: str) -> str:
    return f"{table}_row_capture"


def create_sql(vendor: str, tables=CAPTURED_TABLES) -> list[str]:
    """Return the statements that install the capture on each table (none outside PostgreSQL)."""
    if vendor != "postgresql":
        return []
    return [_PG_FUNCTION] + [
        f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}; "
        f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('id');"
        for table in tables
    ]


def drop_sql(vendor: str, tables=CAPTURED_TABLES, *, function: bool = True) -> list[str]:
    """Return the statements that remove the capture (none outside PostgreSQL)."""
    if vendor != "postgresql":
        return []
    return [f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table};" for table in tables] + (
        [f"DROP FUNCTION IF EXISTS {FUNCTION}();"] if function else []
    )
