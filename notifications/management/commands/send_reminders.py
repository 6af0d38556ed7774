"""Reminders, digests and the outbox drain: what Celery beat runs, for hosts without it (run it daily)."""

from django.core.management.base import BaseCommand

from notifications import outbox, reminders


class Command(BaseCommand):
    help = "Send today's deadline and review reminders and daily digests, then any e-mails waiting in the outbox."

    def handle(self, *args, **options):
        left = reminders.send_reminders()
        digests = outbox.send_digests()
        sent = outbox.drain()
        self.stdout.write(f"Left {left} reminders, made {digests} digests, sent {sent} waiting e-mails.")
