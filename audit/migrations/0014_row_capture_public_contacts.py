"""Capture writes to contacts from the public and their replies at the database too (see audit/row_capture.py)."""

from django.db import migrations

from audit import row_capture


def create(apps, schema_editor):
    for statement in row_capture.create_sql(schema_editor.connection.vendor, row_capture.PUBLIC_CONTACT_TABLES):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in row_capture.drop_sql(vendor, row_capture.PUBLIC_CONTACT_TABLES, function=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0013_row_capture_case_documents"),
        ("front_door", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
