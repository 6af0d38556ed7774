"""Reporting facts (age band, gender) on each referral, copied from its answers at submission."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Give referrals submitted before this release their facts, in batches."""
    from reports.facts import reporting_facts

    Referral = apps.get_model("referrals", "Referral")
    submitted = Referral.objects.filter(submitted_at__isnull=False).only("id", "answers", "submitted_at")
    batch = []
    for referral in submitted.iterator(chunk_size=1000):
        referral.age_band, referral.gender = reporting_facts(referral.answers, referral.submitted_at)
        batch.append(referral)
        if len(batch) == 1000:
            Referral.objects.bulk_update(batch, ["age_band", "gender"])
            batch = []
    Referral.objects.bulk_update(batch, ["age_band", "gender"])


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_restriction"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="age_band",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="referral",
            name="gender",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
