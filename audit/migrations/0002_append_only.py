"""Make the audit tables append-only in the database itself: UPDATE and DELETE are refused."""

from django.db import migrations

from audit import triggers


def create(apps, schema_editor):
    for statement in triggers.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in triggers.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(create, drop)]
