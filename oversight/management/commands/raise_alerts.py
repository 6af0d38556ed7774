"""Raise alerts on unusual access now: what Celery beat runs every 15 minutes, for hosts without it."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from oversight.alerts import raise_all_alerts


class Command(BaseCommand):
    help = "Raise alerts on unusual access from the audit trail of the last day (safe to run again)."

    def handle(self, *args, **options):
        raised = raise_all_alerts()
        for rule, count in raised.items():
            self.stdout.write(f"{rule}: {count} new")
        total = sum(raised.values())
        self.stdout.write(
            ngettext("Raised %(count)d new alert.", "Raised %(count)d new alerts.", total) % {"count": total}
        )
