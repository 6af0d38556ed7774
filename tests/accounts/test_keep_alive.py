"""The timeout warning's two doors: how long a session has left, and the keep-alive that starts the idle limit again."""

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts import auth
from accounts.models import Role
from tests.conftest import sign_in_client

STATUS = reverse("accounts:session_status")
KEEP_ALIVE = reverse("accounts:keep_alive")
HOME = reverse("pages:home")
JSON = {"HTTP_ACCEPT": "application/json"}


def test_the_keep_alive_starts_the_idle_limit_again_and_says_when_the_session_ends(signed_in, clock):
    client = signed_in(Role.REFERRER)
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    clock.shift(idle - 100)
    assert client.get(STATUS).json()["seconds_left"] <= 100
    answer = client.post(KEEP_ALIVE, **JSON).json()
    assert idle - 2 <= answer["seconds_left"] <= idle
    assert answer["extendable"] is True
    clock.shift(idle - 10)  # past the first idle limit, within the new one
    assert client.get(HOME).status_code == 200


def test_asking_how_long_is_left_is_not_activity_and_ends_nothing(signed_in, clock):
    client = signed_in(Role.REFERRER)
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    clock.shift(idle - 60)
    assert 55 <= client.get(STATUS).json()["seconds_left"] <= 60
    clock.shift(61)
    assert client.get(STATUS).json()["seconds_left"] == 0  # expired: asked, not revived
    response = client.get(HOME, follow=True)
    assert b"had not done anything for a while" in response.content


def test_the_keep_alive_never_goes_past_the_absolute_limit(signed_in, clock):
    client = signed_in(Role.REFERRER)
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
    elapsed = 0.0
    while elapsed + idle < absolute:
        clock.shift(idle - 30)
        elapsed += idle - 30
        assert client.post(KEEP_ALIVE, **JSON).status_code == 200
    answer = client.post(KEEP_ALIVE, **JSON).json()
    assert answer["seconds_left"] <= absolute - elapsed + 1 < idle
    assert answer["extendable"] is False
    clock.shift(absolute - elapsed + 1)
    response = client.post(KEEP_ALIVE, **JSON)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    assert client.get(HOME).status_code == 302  # the session is over


def test_an_idle_session_cannot_be_revived_by_the_keep_alive(signed_in, clock):
    client = signed_in(Role.REFERRER)
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1)
    response = client.post(KEEP_ALIVE, **JSON)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    assert client.get(HOME).status_code == 302


def test_anonymous_visitors_get_neither_door(client):
    for response in (client.get(STATUS), client.post(KEEP_ALIVE, **JSON)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_keep_alive_needs_the_csrf_token(make_user):
    user = make_user(Role.REFERRER)
    client = sign_in_client(Client(enforce_csrf_checks=True), user)
    before = client.session[auth.LAST_SEEN_AT]
    assert client.post(KEEP_ALIVE, **JSON).status_code == 403
    assert client.session[auth.LAST_SEEN_AT] == before
    client.get(HOME)  # a page sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post(KEEP_ALIVE, {"csrfmiddlewaretoken": token}, **JSON).status_code == 200


def test_without_javascript_the_keep_alive_goes_back_to_the_page(signed_in):
    client = signed_in(Role.REFERRER)
    page = "http://testserver" + reverse("referrals:start")
    assert client.post(KEEP_ALIVE, HTTP_REFERER=page)["Location"] == page
    assert client.post(KEEP_ALIVE, HTTP_REFERER="https://elsewhere.example/")["Location"] == reverse("pages:home")


def test_signed_in_pages_carry_the_warning_and_its_plain_notice_and_public_ones_do_not(signed_in, client, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=20)
    page = signed_in(Role.REFERRER).get(HOME).content.decode()
    assert 'role="alertdialog"' in page and 'aria-modal="true"' in page
    assert "accounts/timeout.js" in page
    assert "<noscript>" in page and "after 20 minutes without doing anything" in page
    public = client.get(reverse("accounts:sign_in")).content.decode()
    assert "timeout-dialog" not in public and "timeout.js" not in public
