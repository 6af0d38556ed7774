"""The retention schedule's defaults: NFA (and mistaken or malicious) 3 years, other outcomes 6 years, drafts 28 days."""

from django.db import migrations

DEFAULTS = [
    ("nfa", 3, "years"),
    ("nfa_mistaken", 3, "years"),
    ("signposted", 6, "years"),
    ("police_led", 6, "years"),
    ("pursue", 6, "years"),
    ("channel", 6, "years"),
    ("draft", 28, "days"),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for key, period, unit in DEFAULTS:
        RetentionRule.objects.get_or_create(key=key, defaults={"period": period, "unit": unit})


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
