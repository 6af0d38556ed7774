"""Print the current two-factor code of the demo accounts, as an authenticator app would show it."""

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from accounts.management.commands.load_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo accounts' current two-factor code."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is switched off here (DEMO_DATA_ALLOWED).")
        self.stdout.write(f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}")
