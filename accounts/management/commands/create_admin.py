"""Create the first system administrator of a new installation and print their one-time set-password link.

No password is ever passed on the command line; the link expires after PASSWORD_RESET_TIMEOUT.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.models import Organisation, Role, User


class Command(BaseCommand):
    help = "Create a system administrator (in a police Prevent organisation) and print a link to set the password."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The administrator's full name.")
        parser.add_argument("--organisation", required=True, help="The police force's name; created if missing.")

    def handle(self, *args, email, name, organisation, **options):
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError("An account with that email address already exists.")
        with transaction.atomic():
            org = Organisation.objects.filter(name=organisation).first() or services.create_organisation(
                by=None, name=organisation, kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
            )
            if org.kind != Organisation.Kind.POLICE_PREVENT:
                raise CommandError("Administrators belong to the police Prevent organisation.")
            user = services.create_user(
                by=None, email=email, full_name=name, organisation=org, roles=[Role.SYSTEM_ADMIN], password=""
            )
        path = reverse(
            "accounts:set_password",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        self.stdout.write(f"Administrator created. Set the password here (one use): {settings.SITE_URL}{path}")
