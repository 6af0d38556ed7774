"""Walk the audit chain and report the first broken link: what the nightly task runs, for use by hand."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import chain


class Command(BaseCommand):
    help = "Verify the audit events' hash chain and its anchors; exit with status 1 at the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            type=Path,
            action="append",
            default=[],
            help="Also check the anchors in this JSON-lines file (for example exported from the log store).",
        )
        parser.add_argument("--batch-size", type=int, default=chain.BATCH_SIZE)

    def handle(self, *args, **options):
        try:
            anchors = chain.read_anchors()
            for path in options["anchors"]:
                if not path.exists():
                    raise CommandError(f"No anchor file at {path}.")
                anchors += chain.read_anchors(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        result = chain.verify(anchors=anchors, batch_size=options["batch_size"])
        if not result.ok:
            raise CommandError(
                f"BROKEN: {result.broken.message} [{result.broken.problem}]. {result.events} events verified before it."
            )
        self.stdout.write(
            f"OK: {result.events} events chained unbroken (last seq {result.last_seq}, hash {result.last_hash}); "
            f"{result.anchors} anchors match."
        )
