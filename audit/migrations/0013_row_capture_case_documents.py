"""Capture writes to the officers' case documents at the database too (PostgreSQL; see audit/row_capture.py)."""

from django.db import migrations

from audit import row_capture


def create(apps, schema_editor):
    for statement in row_capture.create_sql(schema_editor.connection.vendor, row_capture.CASE_DOCUMENT_TABLES):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in row_capture.drop_sql(vendor, row_capture.CASE_DOCUMENT_TABLES, function=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0012_row_capture_case_files"),
        ("cases", "0009_case_documents"),
    ]

    operations = [migrations.RunPython(create, drop)]
