"""Queue records due for a retention review: what Celery beat runs nightly, for hosts without it."""

from django.core.management.base import BaseCommand

from retention import scan


class Command(BaseCommand):
    help = "Queue closed cases and old drafts whose retention review date has passed (batched, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=scan.BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        result = scan.scan(batch_size=batch_size)
        self.stdout.write(
            f"Queued {result.queued} for review ({result.requeued} kept records due again); "
            f"cancelled {result.cancelled}; skipped {result.held} under legal hold."
        )
