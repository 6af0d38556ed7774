"""The cases each list page showed, as rows (`ListedCase`): "who saw this case" walks one index, newest first.

Replaces the JSON index of 0006, which could find a case's list pages but not in time order: for a case
shown on thousands of pages the search read them all. Existing list events are copied in; the new table is
append-only like the events.
"""

import django.db.models.deletion
from django.db import migrations, models

from audit import triggers

# Every statement here is built from this module's constants, never from input.
# ruff: noqa: S608

TABLE = "audit_listedcase"
FILL = {
    "postgresql": f"""
        INSERT INTO {TABLE} (case_id, occurred_at, event_id)
        SELECT DISTINCT (listed.value #>> '{{}}')::uuid, e.occurred_at, e.id
        FROM audit_auditevent e, jsonb_array_elements(e.details -> 'case_ids') AS listed
        WHERE jsonb_typeof(e.details -> 'case_ids') = 'array'
    """,
    # Django keeps UUIDs in SQLite as 32 hex digits.
    "sqlite": f"""
        INSERT INTO {TABLE} (case_id, occurred_at, event_id)
        SELECT DISTINCT replace(listed.value, '-', ''), e.occurred_at, e.id
        FROM audit_auditevent e, json_each(e.details, '$.case_ids') AS listed
        WHERE json_type(e.details, '$.case_ids') = 'array'
    """,
}


def protect_and_fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [FILL[vendor], *triggers.create_sql(vendor, [TABLE])]
    if vendor == "postgresql":
        statements += [*triggers.truncate_guard_sql([TABLE]), "DROP INDEX IF EXISTS audit_auditevent_listed_cases"]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def unprotect(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in triggers.drop_sql(vendor, [TABLE]):
        schema_editor.execute(statement, params=None)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS audit_auditevent_listed_cases ON audit_auditevent USING gin ((details -> 'case_ids'))"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_fewer_indexes")]

    operations = [
        migrations.CreateModel(
            name="ListedCase",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "case_id", "occurred_at", "event", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("case_id", models.UUIDField()),
                ("occurred_at", models.DateTimeField()),
                (
                    "event",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="listings",
                        to="audit.auditevent",
                    ),
                ),
            ],
        ),
        migrations.RunPython(protect_and_fill, unprotect),
    ]
