"""Print the record of processing (what personal data each model holds, why, on what basis, for how long)."""

import json

from django.core.management.base import BaseCommand, CommandError

from privacy import record


class Command(BaseCommand):
    help = "Print the record of processing as Markdown (default) or JSON, from the models' field classifications."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["markdown", "json"], default="markdown")

    def handle(self, *args, **options):
        missing = record.unclassified_fields()
        stale = record.stale_classifications()
        if missing or stale:
            raise CommandError(
                "privacy/classification.py is out of date. "
                + (f"Unclassified: {', '.join(missing)}. " if missing else "")
                + (f"Not in the models: {', '.join(stale)}." if stale else "")
            )
        built = record.build_record()
        if options["format"] == "json":
            self.stdout.write(json.dumps(built, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(record.render_markdown(built), ending="")
