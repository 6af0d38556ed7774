"""Chain every audit event to the one before it, in the database, and chain the events already there.

Installs the canonical-text and hash functions and the insert trigger (see audit.triggers), makes
audit_rowchange append-only like the other audit tables, refuses TRUNCATE on PostgreSQL, then gives the
existing events, in id order, their seq, prev_hash and hash.

Irreversible on purpose: migrating backwards must not be a way to drop the chain or the protection, and
unchaining the events would mean updating an append-only table.
"""

from django.db import migrations

from audit import triggers


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [
        # The SQLite events table gets its UPDATE trigger anew: it now lets the chain fill in a new row.
        *triggers.drop_sql(vendor, ["audit_auditevent", "audit_rowchange"]),
        *triggers.create_sql(vendor, ["audit_auditevent", "audit_rowchange"]),
        *triggers.chain_drop_sql(vendor),
        *triggers.chain_create_sql(vendor),
    ]
    if vendor == "postgresql":
        statements += triggers.truncate_guard_sql(["audit_auditevent", "auditlog_logentry", "audit_rowchange"])
    for statement in statements:
        schema_editor.execute(statement, params=None)
    triggers.chain_unchained_rows(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_case_alerts_row_changes"),
    ]

    operations = [migrations.RunPython(install)]
