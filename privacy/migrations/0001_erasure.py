"""Tombstones of erased records, and the one narrow path by which an erasure may redact field-level history.

The trigger SQL lives in privacy/triggers.py. Irreversible on purpose: migrating backwards must not be a
way to loosen or drop the history table's protection.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from privacy import triggers


def install(apps, schema_editor):
    for statement in triggers.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auditlog", "0017_add_actor_email"),
        ("audit", "0004_hash_chain"),
    ]

    operations = [
        migrations.CreateModel(
            name="Tombstone",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("record_type", models.CharField(choices=[("case", "Case"), ("referral", "Referral")], max_length=16)),
                ("record_id", models.UUIDField(db_index=True)),
                ("received_at", models.DateTimeField(blank=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("erased_at", models.DateTimeField()),
                ("rule", models.CharField(max_length=64)),
                ("certificate_number", models.CharField(max_length=16, unique=True)),
                ("erased_ids", models.JSONField(blank=True, default=dict)),
                ("counts", models.JSONField(blank=True, default=dict)),
                ("transaction_id", models.BigIntegerField(blank=True, editable=False, null=True)),
                (
                    "approved_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-erased_at", "-id"],
                "permissions": [("view_tombstones", "See erasure tombstones and download deletion certificates")],
            },
        ),
        migrations.CreateModel(
            name="ErasureInProgress",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "tombstone",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="privacy.tombstone"
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="tombstone",
            index=models.Index(fields=["erased_at", "id"], name="privacy_tom_erased__eccb22_idx"),
        ),
        migrations.RunPython(install),
    ]
