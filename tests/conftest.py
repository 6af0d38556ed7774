import itertools
import time
import uuid

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import auth, services
from accounts.models import Organisation, Role

PASSWORD = "a long enough test passphrase"
_numbers = itertools.count(1)

ORGANISATION_FOR_ROLE = {
    Role.REFERRER: Organisation.Kind.PARTNER,
    Role.PREVENT_OFFICER: Organisation.Kind.POLICE_PREVENT,
    Role.SUPERVISOR: Organisation.Kind.POLICE_PREVENT,
    Role.SUPPORT_PROVIDER: Organisation.Kind.SUPPORT_PROVIDER,
    Role.PANEL_MEMBER: Organisation.Kind.LOCAL_AUTHORITY,
    Role.SYSTEM_ADMIN: Organisation.Kind.POLICE_PREVENT,
    Role.ENGAGEMENT_OFFICER: Organisation.Kind.POLICE_PREVENT,
    Role.SAFEGUARDING_LEAD: Organisation.Kind.PARTNER,
}
SECTOR_FOR_KIND = {
    Organisation.Kind.PARTNER: Organisation.Sector.EDUCATION,
    Organisation.Kind.POLICE_PREVENT: Organisation.Sector.POLICE,
    Organisation.Kind.SUPPORT_PROVIDER: Organisation.Sector.COMMUNITY,
    Organisation.Kind.LOCAL_AUTHORITY: Organisation.Sector.LOCAL_AUTHORITY,
}


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Rate-limit counts live in the cache, which outlives a test (and SQLite reuses ids): each test counts anew."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def fresh_closure_days(settings):
    """The cached closure days outlive a test's rolled-back rows: each test reads its own."""
    settings.CLOSURE_DAYS_CACHE_KEY = f"closure-days:{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def fresh_media(settings, tmp_path):
    """Uploaded files and exports outlive a test's rolled-back rows: each test writes into a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def make_organisation(db):
    def make(kind=Organisation.Kind.PARTNER, name=None):
        return services.create_organisation(
            by=None, name=name or f"Organisation {next(_numbers)}", kind=kind, sector=SECTOR_FOR_KIND[kind]
        )

    return make


@pytest.fixture
def make_user(db, make_organisation):
    """Make an active user with a password, the given roles, and an authenticator app if MFA is required."""

    def make(*roles, organisation=None, email=None, with_device=None):
        roles = list(roles) or [Role.REFERRER]
        organisation = organisation or make_organisation(ORGANISATION_FOR_ROLE[roles[0]])
        user = services.create_user(
            by=None,
            email=email or f"user{next(_numbers)}@example.org",
            full_name=f"Test User {next(_numbers)}",
            organisation=organisation,
            roles=roles,
            password=PASSWORD,
        )
        if with_device if with_device is not None else user.requires_mfa:
            TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        return user

    return make


def sign_in_client(client: Client, user) -> Client:
    """Sign a test client in as the user, as if they had passed every factor just now."""
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[auth.SIGNED_IN_AT] = session[auth.LAST_SEEN_AT] = time.time()
    session.save()
    return client


@pytest.fixture
def signed_in(make_user):
    """Return a client signed in with the given roles: `signed_in(Role.SUPERVISOR)`."""

    def make(*roles, user=None):
        user = user or make_user(*roles)
        client = sign_in_client(Client(), user)
        client.user = user
        return client

    return make


def totp_now(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def clock(time_machine):
    """Real time that tests may move forward with `clock.shift(seconds)`."""
    from datetime import UTC, datetime

    time_machine.move_to(datetime.now(tz=UTC), tick=True)
    return time_machine
