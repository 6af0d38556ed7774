"""Seeding: bench organisations and users made once, people's names and postcodes, weighted choices, raw SQL."""

import random
import sys

from django.core.management import call_command
from django.db import connection

from accounts import services as accounts_services
from accounts.models import Organisation, User
from referrals import matching
from referrals.models import PersonKey

NEEDS_POSTGRESQL = "make bench needs PostgreSQL: set DATABASE_URL (the Makefile does)."
# Bench users never sign in with it (benches write signed-in sessions straight into the store).
PASSWORD = "bench-only-password-" + "x" * 12

SURNAME_STEMS = (
    "Khan", "Smith", "Jones", "Ali", "Novak", "Brown", "Patel", "Wilson",
    "Taylor", "Evans", "Hussain", "Walker", "Wright", "Roberts", "Thompson", "White",
)  # fmt: skip
SURNAME_ENDINGS = ("", "son", "ley", "ford", "er", "ski", "ov", "ini", "ton", "well")
FORENAMES = [
    "Mohammed", "Oliver", "Jack", "Harry", "Noah", "Amelia", "Olivia", "Isla", "Ava", "Adam",
    "Yusuf", "Zara", "Leo", "Freya", "Ibrahim", "Maya", "Ethan", "Aisha", "Lucas", "Grace",
]  # fmt: skip


def surnames(*more_stems: str) -> list[str]:
    """Return the bench surnames: every stem (these after the usual ones) with every ending."""
    return [f"{stem}{ending}" for stem in SURNAME_STEMS + more_stems for ending in SURNAME_ENDINGS]


def postcode(rng: random.Random) -> str:
    """Return a postcode of the bench's made-up area."""
    return f"NR{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}Q"


def pick(rng: random.Random, weights: dict):
    """Return one key of `weights`, as likely as its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def organisation(name: str, kind: str, sector: str) -> Organisation:
    """Return the bench organisation of this name, made through the service the first time."""
    return Organisation.objects.filter(name=name).first() or accounts_services.create_organisation(
        by=None, name=name, kind=kind, sector=sector
    )


def user(email: str, full_name: str, organisation: Organisation, role: str, *, password=PASSWORD) -> User:
    """Return the bench user with this e-mail, made through the service the first time."""
    return User.objects.filter(email=email).first() or accounts_services.create_user(
        by=None, email=email, full_name=full_name, organisation=organisation, roles=[role], password=password
    )


def role_user(role: str, number: str) -> User:
    """Return a bench user with this role in a bench organisation of its kind (police roles with an authenticator)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role

    police = role in (Role.PREVENT_OFFICER, Role.SUPERVISOR)
    kind = Organisation.Kind.POLICE_PREVENT if police else Organisation.Kind.PARTNER
    sector = Organisation.Sector.POLICE if police else Organisation.Sector.EDUCATION
    bench_organisation = organisation(f"Bench {kind}", kind, sector)
    found = user(f"bench-{number}@example.org", f"Bench User {number}", bench_organisation, role)
    if police:
        TOTPDevice.objects.get_or_create(user=found, name="Bench app", defaults={"confirmed": True})
    return found


def add_person_keys(referrals) -> None:
    """Write the matching keys of these referrals, as submitting them does."""
    PersonKey.objects.bulk_create(
        PersonKey(referral=referral, kind=kind, value=value)
        for referral in referrals
        for kind, value in matching.keys_for(referral.answers)
    )


def migrate(needs_postgresql: str = NEEDS_POSTGRESQL) -> None:
    """Stop with this message unless the database is PostgreSQL; then bring its schema up to date."""
    if connection.vendor != "postgresql":
        sys.exit(needs_postgresql)
    call_command("migrate", verbosity=0)


def execute(sql: str, params=None) -> int:
    """Run one statement; return the rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
