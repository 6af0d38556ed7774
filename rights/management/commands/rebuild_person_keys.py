"""Make every sent referral's repeat-matching keys again, after a change to how keys are made."""

from django.core.management.base import BaseCommand

from rights.services import rebuild_person_keys


class Command(BaseCommand):
    help = "Rebuild the repeat-matching keys of every sent referral from the answers the police hold."

    def handle(self, *args, **options):
        count = rebuild_person_keys()
        self.stdout.write(f"Rebuilt the matching keys of {count} referrals.")
