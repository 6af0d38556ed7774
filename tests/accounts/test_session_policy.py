from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent

HOME = reverse("pages:home")


def test_an_idle_session_ends_and_says_why(signed_in, clock):
    client = signed_in(Role.PREVENT_OFFICER)
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() - 60)
    assert client.get(HOME).status_code == 200  # activity resets the idle clock
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() - 60)
    assert client.get(HOME).status_code == 200
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][0] == reverse("accounts:sign_in")
    assert b"had not done anything for a while" in response.content
    assert AuditEvent.objects.get(action="auth.signed_out").details["why"] == "idle"
    assert client.get(HOME).status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(signed_in, clock):
    client = signed_in(Role.REFERRER)
    step = settings.SESSION_IDLE_TIMEOUT.total_seconds() - 60
    elapsed = 0
    while elapsed + step < settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
        clock.shift(step)
        elapsed += step
        assert client.get(HOME).status_code == 200
    clock.shift(step)
    response = client.get(HOME, follow=True)
    assert b"reached its time limit" in response.content
    assert AuditEvent.objects.get(action="auth.signed_out").details["why"] == "expired"


def test_a_session_without_a_second_factor_ends_when_the_account_needs_one(signed_in, make_user):
    user = make_user(Role.REFERRER)
    client = signed_in(user=user)
    assert client.get(HOME).status_code == 200
    user.groups.add(Group.objects.get(name="supervisor"))
    response = client.get(HOME, follow=True)
    assert b"now needs two-factor sign-in" in response.content
    assert client.get(HOME).status_code == 302


def test_session_cookies_are_http_only_and_secure_outside_debug(make_user, client):
    from tests.conftest import PASSWORD

    user = make_user(Role.REFERRER)
    response = client.post(reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser
