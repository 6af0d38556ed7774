"""The history guard also refuses to blank the history of a case or referral that still exists (PostgreSQL).

A tombstone is an ordinary INSERT: without this a compromised application connection could insert one
naming a live record and blank its history. Irreversible on purpose, like 0001.
"""

from django.db import migrations

from privacy import triggers


def replace_guard(apps, schema_editor):
    for statement in triggers.guard_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_erasure"),
        ("cases", "0001_initial"),
        ("referrals", "0001_initial"),
    ]

    operations = [migrations.RunPython(replace_guard)]
