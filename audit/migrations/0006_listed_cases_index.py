"""Index the cases a list page showed (`details -> 'case_ids'`), so "who saw this case" finds list pages fast.

A GIN index on one JSON key is PostgreSQL's; SQLite (development) searches without it.
"""

from django.db import migrations

INDEX = "audit_auditevent_listed_cases"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON audit_auditevent USING gin ((details -> 'case_ids'))"
        )
        # Without statistics for the new expression the planner guesses, and may read the whole trail by time.
        schema_editor.execute("ANALYZE audit_auditevent")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_row_capture")]
    operations = [migrations.RunPython(create, drop)]
