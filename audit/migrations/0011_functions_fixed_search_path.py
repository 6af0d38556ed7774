"""Give every audit function a fixed search_path and schema-qualified names (PostgreSQL).

Without them a session could put a temporary `audit_rowchange` (or `audit_auditevent`) in front of the real
table and have the row capture (or the chain) write to, or read from, its own copy. Replaces the functions
in place (audit.triggers.function_sql, audit.row_capture.function_sql); the triggers keep pointing at them.
Irreversible on purpose, like the migrations that installed them.
"""

from django.db import migrations

from audit import row_capture, triggers


def harden(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*triggers.function_sql(), *row_capture.function_sql()]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_account_change_alert_rule")]
    operations = [migrations.RunPython(harden)]
