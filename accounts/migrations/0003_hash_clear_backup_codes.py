"""Move backup codes kept in clear (django-otp's static tokens) to hashed backup codes, and delete the clear ones.

The hash is written here as `accounts.models.backup_code_digests` writes it today (the current SECRET_KEY):
a migration must not follow later changes to the app's code.
"""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac


def digest(user_id, code):
    code = "".join(code.split()).lower()
    return salted_hmac("accounts.BackupCode", f"{user_id}:{code}", secret=settings.SECRET_KEY, algorithm="sha256")


def hash_clear_codes(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    BackupCodeDevice = apps.get_model("accounts", "BackupCodeDevice")
    BackupCode = apps.get_model("accounts", "BackupCode")
    for old in StaticDevice.objects.all().iterator():
        device = BackupCodeDevice.objects.create(
            user_id=old.user_id,
            name=old.name,
            confirmed=old.confirmed,
            throttling_failure_timestamp=old.throttling_failure_timestamp,
            throttling_failure_count=old.throttling_failure_count,
            last_used_at=old.last_used_at,
        )
        digests = {digest(old.user_id, token).hexdigest() for token in old.token_set.values_list("token", flat=True)}
        BackupCode.objects.bulk_create([BackupCode(device=device, digest=value) for value in sorted(digests)])
    # No clear code is left behind; a session signed in with one is asked to sign in again.
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_backup_codes_hashed"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # Irreversible in effect: a hash cannot give the clear code back (going back, users make new codes).
    operations = [migrations.RunPython(hash_clear_codes, migrations.RunPython.noop, elidable=False)]
