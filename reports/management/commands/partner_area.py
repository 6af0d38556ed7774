from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import PartnerArea
from reports.services import set_partner_area


class Command(BaseCommand):
    help = "Put partner organisations in a named area (reports filter by area), or list the areas."

    def add_arguments(self, parser):
        parser.add_argument("area", nargs="?", help="The area's name, created if new")
        parser.add_argument("--organisation", action="append", default=[], help="An organisation's exact name")

    def handle(self, *args, area=None, organisation=(), **options):
        if area:
            try:
                set_partner_area(area, organisations=list(organisation))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        for one in PartnerArea.objects.prefetch_related("organisations"):
            names = ", ".join(org.name for org in one.organisations.all()) or "no organisations"
            self.stdout.write(f"{one.name}: {names}")
