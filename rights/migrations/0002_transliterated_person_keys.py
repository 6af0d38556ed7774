"""Rebuild the repeat-matching keys: names are now transliterated before they are normalised.

Keys made before this kept only ASCII letters after NFKD, so "Michał" became "micha" and Cyrillic or
Arabic names no key at all. Only derived rows (referrals_personkey) change; nothing a person typed.
The keys come from today's `keys_for`, the one every new referral uses (a pure function of the answers);
the rows are read and written through this migration's historical models.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from rights.services import replace_person_keys

    replace_person_keys(
        apps.get_model("referrals", "Referral"),
        apps.get_model("referrals", "PersonKey"),
        apps.get_model("rights", "Rectification"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0001_initial"),
        ("referrals", "0004_reporting_facts"),
        ("cases", "0005_assessed_concern_type"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
