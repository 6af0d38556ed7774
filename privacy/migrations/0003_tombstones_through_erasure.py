"""Harden the erasure's functions and write tombstones only through one that checks them (PostgreSQL).

Every privacy function gets a fixed search_path and schema-qualified names. History may be blanked only for
a kind of record an erasure erases (privacy.erasure.erased_models, read from this migration's models) and
only once that record is gone (`privacy_record_is_gone`), so a tombstone naming a user or an organisation
opens nothing. Tombstones are written by `privacy_write_tombstone` (SECURITY DEFINER), which refuses one
naming a live record; scripts/db-roles.sql takes INSERT on the table from the application's role.
Irreversible on purpose, like 0001.
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
        ("privacy", "0002_guard_live_records"),
        ("audit", "0011_functions_fixed_search_path"),
        ("cases", "0005_assessed_concern_type"),
        ("referrals", "0004_reporting_facts"),
        ("rights", "0001_initial"),
    ]

    operations = [migrations.RunPython(install)]
