"""Load demo organisations and one account per role (with --cases, a working team's caseload too), and print how
to sign in with them.

Refused unless DEMO_DATA_ALLOWED is on (as `make run` sets it): demo accounts never reach production.
Running it again changes nothing and prints the same sign-in details.
"""

import base64

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Organisation, Role, User
from audit.services import record
from pages import demo

DEMO_PASSWORD = "demo-prevent-2026"
# 20 bytes in base32: type it into any authenticator app, or scan the QR code printed below.
DEMO_TOTP_SECRET = "PREVENTDEMOSECRETKEYPREVENTDEMO2"

ORGANISATIONS = [
    ("Northshire Police Prevent Team", Organisation.Kind.POLICE_PREVENT, Organisation.Sector.POLICE),
    ("Riverside Academy", Organisation.Kind.PARTNER, Organisation.Sector.EDUCATION),
    ("Northshire County Council", Organisation.Kind.LOCAL_AUTHORITY, Organisation.Sector.LOCAL_AUTHORITY),
    ("Bridgeway Mentoring", Organisation.Kind.SUPPORT_PROVIDER, Organisation.Sector.COMMUNITY),
]
USERS = [
    ("referrer@riverside.example", "Rita Referrer", "Riverside Academy", Role.REFERRER),
    ("officer@police.example", "Owen Officer", "Northshire Police Prevent Team", Role.PREVENT_OFFICER),
    ("supervisor@police.example", "Sam Supervisor", "Northshire Police Prevent Team", Role.SUPERVISOR),
    ("provider@bridgeway.example", "Priya Provider", "Bridgeway Mentoring", Role.SUPPORT_PROVIDER),
    ("panel@council.example", "Pat Panel", "Northshire County Council", Role.PANEL_MEMBER),
    ("admin@police.example", "Ada Administrator", "Northshire Police Prevent Team", Role.SYSTEM_ADMIN),
    ("engagement@police.example", "Eli Engagement", "Northshire Police Prevent Team", Role.ENGAGEMENT_OFFICER),
    ("lead@riverside.example", "Lee Lead", "Riverside Academy", Role.SAFEGUARDING_LEAD),
]


# The demo caseload's partners (each with a referrer) and a second officer, supervisor and school referrer.
PARTNER_ORGANISATIONS = [
    (name, Organisation.Kind.PARTNER, sector)
    for name, sector, _email, _full_name in demo.PARTNERS
    if name not in {organisation for organisation, _kind, _sector in ORGANISATIONS}
]
EXTRA_USERS = [
    (email, full_name, organisation, Role.REFERRER)
    for organisation, _sector, email, full_name in demo.PARTNERS
    if email not in {user[0] for user in USERS}
] + demo.STAFF


def demo_totp_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


class Command(BaseCommand):
    help = "Load demo organisations and accounts (one per role) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", action="store_true", help="Also load a working team's caseload of invented people (about 40)."
        )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is switched off here (DEMO_DATA_ALLOWED). It never belongs in production.")
        with transaction.atomic():
            created = self.load()
        everyone = len(USERS) + len(EXTRA_USERS)
        self.stdout.write(self.style.SUCCESS(f"Demo data: {created} new accounts, {everyone - created} already there."))
        if options["cases"]:
            self.load_cases()
        self.print_sign_in()

    def load_cases(self):
        people = {role: User.objects.get(email=email) for email, _name, _organisation, role in USERS}
        made = demo.load(
            officer=people[Role.PREVENT_OFFICER],
            supervisor=people[Role.SUPERVISOR],
            provider=people[Role.SUPPORT_PROVIDER],
            panel=people[Role.PANEL_MEMBER],
        )
        if made:
            self.stdout.write(self.style.SUCCESS(f"Demo caseload: {made} referrals about invented people."))
        else:
            self.stdout.write("Demo caseload: already there, nothing changed.")

    def load(self) -> int:
        organisations = {}
        for name, kind, sector in ORGANISATIONS + PARTNER_ORGANISATIONS:
            organisation = Organisation.objects.filter(name=name).first()
            organisations[name] = organisation or services.create_organisation(
                by=None, name=name, kind=kind, sector=sector
            )
        created = 0
        for email, full_name, organisation, role in USERS + EXTRA_USERS:
            if User.objects.filter(email=email).exists():
                continue
            user = services.create_user(
                by=None,
                email=email,
                full_name=full_name,
                organisation=organisations[organisation],
                roles=[role],
                password=DEMO_PASSWORD,
            )
            if user.requires_mfa:
                TOTPDevice.objects.create(user=user, name="Demo authenticator", key=demo_totp_key_hex(), confirmed=True)
                record(by=None, action="mfa.device_enrolled", target=user, device="totp", demo=True)
            created += 1
        return created

    def print_sign_in(self):
        out = self.stdout
        out.write("\nDemo accounts (all share one password):")
        for email, _name, _organisation, role in USERS + demo.STAFF:
            needs_code = role in settings.MFA_REQUIRED_ROLES
            out.write(f"  {Role(role).label:<24} {email:<30} {'password + code' if needs_code else 'password'}")
        out.write(f"\n  Password:         {DEMO_PASSWORD}")
        out.write(f"  Two-factor secret: {DEMO_TOTP_SECRET}  (time-based, 6 digits, 30 seconds)")
        out.write("  Add it to an authenticator app by typing the secret or scanning this QR code:\n")
        uri = (
            f"otpauth://totp/Prevent%20referrals%20demo:demo?secret={DEMO_TOTP_SECRET}"
            "&issuer=Prevent%20referrals%20demo"
        )
        qr = segno.make(uri, error="l")
        qr.terminal(out=out._out, compact=True)
        out.write("  No app to hand? `make demo-code` prints the current code.")
