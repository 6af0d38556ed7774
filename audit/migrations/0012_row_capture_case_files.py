"""Capture writes to the case-file disclosures at the database too (PostgreSQL; see audit/row_capture.py)."""

from django.db import migrations

from audit import row_capture


def create(apps, schema_editor):
    for statement in row_capture.create_sql(schema_editor.connection.vendor, row_capture.CASE_FILE_TABLES):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in row_capture.drop_sql(vendor, row_capture.CASE_FILE_TABLES, function=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_functions_fixed_search_path"),
        ("cases", "0006_case_file_disclosure"),
    ]

    operations = [migrations.RunPython(create, drop)]
