from django.core.management.base import BaseCommand

from subject_access.services import delete_expired_exports


class Command(BaseCommand):
    help = "Delete the files of subject access exports released more than SUBJECT_ACCESS_KEEP_DAYS ago."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted the exports of {delete_expired_exports()} request(s).")
