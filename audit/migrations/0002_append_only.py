"""Make the audit tables append-only in the database itself: UPDATE and DELETE are refused.

Irreversible on purpose: migrating backwards must not be a way to drop the protection.
"""

from django.db import migrations

from audit import triggers


def create(apps, schema_editor):
    for statement in triggers.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(create)]
