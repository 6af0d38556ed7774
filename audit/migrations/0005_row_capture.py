"""Capture every write to the core personal-data tables in the database itself (PostgreSQL only).

The SQL lives in audit/row_capture.py. On SQLite this migration does nothing.
"""

from django.db import migrations

from audit import row_capture


def create(apps, schema_editor):
    for statement in row_capture.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in row_capture.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_hash_chain"),
        ("accounts", "0001_initial"),
        ("cases", "0002_queue_partial_indexes"),
        ("referrals", "0002_referral_case"),
    ]

    operations = [migrations.RunPython(create, drop)]
