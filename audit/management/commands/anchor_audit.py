"""Write the audit chain's latest link to the anchor file and log: what the task runs every 15 minutes."""

from django.core.management.base import BaseCommand

from audit import chain


class Command(BaseCommand):
    help = "Append the audit chain's latest seq and hash to AUDIT_ANCHOR_FILE and the audit.anchor log."

    def handle(self, *args, **options):
        anchor = chain.write_anchor()
        if anchor is None:
            self.stdout.write("No audit events yet: nothing to anchor.")
        else:
            self.stdout.write(f"Anchored seq {anchor.seq}, hash {anchor.hash}, at {anchor.at}.")
