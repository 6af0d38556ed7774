"""Delete referral drafts older than DRAFT_MAX_AGE_DAYS: what Celery beat runs nightly, for hosts without it."""

from django.core.management.base import BaseCommand

from referrals import services


class Command(BaseCommand):
    help = "Delete referral drafts untouched for DRAFT_MAX_AGE_DAYS (28 by default)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {services.delete_stale_drafts()} stale drafts.")
