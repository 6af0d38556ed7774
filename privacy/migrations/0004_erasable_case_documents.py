"""Install the erasure's functions again, from the models as they now are: case documents (and case files) go
with an erased case, so the history guard and the tombstone function must know them (PostgreSQL).

Irreversible on purpose, like 0003.
"""

from django.db import migrations

from privacy import triggers


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in triggers.function_sql(apps):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_tombstones_through_erasure"),
        ("cases", "0009_case_documents"),
    ]

    operations = [migrations.RunPython(install)]
