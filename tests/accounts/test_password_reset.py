"""Self-service password reset: the same answer for any address, a one-hour link used once, the second factor first."""

import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import reset, services
from accounts.logs import HideLinkTokens
from accounts.models import Role
from audit.models import AuditEvent
from tests.conftest import PASSWORD, totp_now

FORGOTTEN = reverse("accounts:forgotten_password")
SENT = reverse("accounts:reset_sent")
SIGN_IN = reverse("accounts:sign_in")
HOME = reverse("pages:home")
NEW_PASSWORD = "a brand new passphrase for the test"
LINK = re.compile(r"https?://\S+/accounts/reset-password/(?P<uid>[^/]+)/(?P<token>[^/]+)/")


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a reset link as a fresh visitor (or the given client), running what is queued after commit."""

    def post(email, client=None):
        client = client or Client()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORGOTTEN, {"email": email})

    return post


def link_in(message) -> re.Match:
    match = LINK.search(message.body)
    assert match, message.body
    return match


def path_of(match: re.Match) -> str:
    return reverse("accounts:reset_password", kwargs={"uidb64": match["uid"], "token": match["token"]})


def open_link(match, client=None):
    """Follow the link as the e-mail gives it; return the client and the page it lands on."""
    client = client or Client()
    response = client.get(path_of(match))
    assert response.status_code == 302 and response["Location"].endswith("/set/"), response
    return client, response["Location"]


def events(action):
    return AuditEvent.objects.filter(action=action).order_by("id")


def test_the_sign_in_page_links_to_the_reset(db):
    body = Client().get(SIGN_IN).content.decode()
    assert f'href="{FORGOTTEN}">Forgotten your password?</a>' in body


def test_an_existing_and_an_unknown_address_get_the_same_answer_for_the_same_work(make_user, ask):
    user = make_user(Role.REFERRER)

    def asked(email):
        with CaptureQueriesContext(connection) as queries:
            response = ask(email)
        return response, len(queries)

    known, known_queries = asked(user.email.upper())
    unknown, unknown_queries = asked("nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == SENT
    assert known_queries == unknown_queries  # one lookup and one audit event either way; the task does the rest
    page = Client().get(SENT)
    assert page.status_code == 200 and b"Check your email" in page.content
    assert b"If an account on this service uses the email address you entered" in page.content
    (message,) = mail.outbox
    assert message.to == [user.email]
    first, second = events("auth.password_reset_requested")
    assert first.target_id == str(user.pk) and second.target_id == ""
    for event in (first, second):
        assert event.actor is None and event.details == {} and event.reason == ""
        assert event.ip_address == "127.0.0.1"


def test_the_link_is_built_from_site_url_and_works_once(make_user, ask, settings):
    settings.SITE_URL = "https://prevent.example.police.uk"
    user = make_user(Role.REFERRER)
    ask(user.email)
    (message,) = mail.outbox
    assert message.subject == f"{settings.SERVICE_NAME}: reset your password"
    assert "works once, for 1 hour" in message.body
    match = link_in(message)
    assert match.group(0).startswith("https://prevent.example.police.uk/accounts/reset-password/")

    client, form_page = open_link(match)
    page = client.get(form_page)
    assert page.status_code == 200 and b"Choose a new password" in page.content
    assert match["token"].encode() not in page.content
    done = client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == SIGN_IN
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    again = Client().get(path_of(match))
    assert again.status_code == 404 and b"This link does not work" in again.content
    assert client.get(form_page).status_code == 404  # the session that used it cannot use it again either
    assert events("auth.password_reset_link_used").get().details == {"next_step": "password"}
    changed = events("auth.password_changed").get()
    assert changed.actor == user and changed.target_id == str(user.pk) and changed.details == {"how": "reset"}
    assert events("auth.signed_out_everywhere").get().target_id == str(user.pk)
    trail = str(list(AuditEvent.objects.values_list("details", "reason")))
    assert match["token"] not in trail and user.email not in trail


def test_the_new_password_follows_the_password_rules_and_the_form_keeps_its_errors(make_user, ask):
    user = make_user(Role.REFERRER)
    ask(user.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    short = client.post(form_page, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200 and b"This password is too short" in short.content
    common = client.post(form_page, {"new_password1": "password1234", "new_password2": "password1234"})
    assert b"This password is too common" in common.content
    different = client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert b"didn" in different.content and b"(error)" in different.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_form_explains_a_missing_or_malformed_address_and_keeps_it(db, ask):
    empty = ask("")
    assert empty.status_code == 200 and b"Enter your email address" in empty.content
    wrong = ask("not-an-address")
    assert (
        b"Enter an email address in the correct format" in wrong.content and b'value="not-an-address"' in wrong.content
    )
    assert not events("auth.password_reset_requested").exists()


@pytest.mark.parametrize("what", ["account", "organisation"])
def test_a_deactivated_account_gets_the_same_page_and_no_email(make_user, ask, what):
    user = make_user(Role.REFERRER)
    if what == "account":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        services.update_organisation(user.organisation, by=None, is_active=False)
    response = ask(user.email)
    assert response.status_code == 302 and response["Location"] == SENT
    assert mail.outbox == []
    assert events("auth.password_reset_requested").get().target_id == ""


def test_an_expired_link_says_so(make_user, ask, clock):
    user = make_user(Role.REFERRER)
    ask(user.email)
    match = link_in(mail.outbox[0])
    clock.shift(settings.PASSWORD_RESET_LINK_SECONDS + 5)
    response = Client().get(path_of(match))
    assert response.status_code == 404
    assert b"This link does not work" in response.content and b"works once, for 1 hour" in response.content
    assert not events("auth.password_reset_link_used").exists()


def test_a_link_opened_before_it_expired_stops_working_when_it_expires(make_user, ask, clock):
    user = make_user(Role.REFERRER)
    ask(user.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    clock.shift(settings.PASSWORD_RESET_LINK_SECONDS + 5)
    late = client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert late.status_code == 404
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "uid, token",
    [
        (None, "1-abc"),  # a token made up
        (None, "zzzzzzzzzzzzzzzzzz-0"),  # a timestamp past any int, and nothing else right
        ("MQ", None),  # someone else's id
        ("!!!", None),  # not base64
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", None),  # an id far past any integer column
        (None, "set"),  # the placeholder, with nothing in the session
    ],
)
def test_a_tampered_link_says_so_and_is_never_a_500(make_user, ask, uid, token):
    user = make_user(Role.REFERRER)
    ask(user.email)
    match = link_in(mail.outbox[0])
    kwargs = {"uidb64": uid or match["uid"], "token": token or match["token"]}
    if uid == "MQ" and user.pk == 1:
        kwargs["uidb64"] = "Mg"
    response = Client().get(reverse("accounts:reset_password", kwargs=kwargs))
    assert response.status_code == 404 and b"This link does not work" in response.content


def test_a_link_dies_when_the_security_stamp_changes_or_the_user_signs_in(make_user, ask, signed_in):
    user = make_user(Role.REFERRER)
    ask(user.email)
    services.end_all_sessions(user, by=user)
    assert Client().get(path_of(link_in(mail.outbox[0]))).status_code == 404
    ask(user.email)
    signed_in(user=user)  # a sign-in since the link was made
    assert Client().get(path_of(link_in(mail.outbox[1]))).status_code == 404


def test_an_invitation_link_is_not_a_reset_link_nor_the_other_way_round(make_user, ask):
    from django.contrib.auth.tokens import default_token_generator

    user = make_user(Role.REFERRER)
    ask(user.email)
    match = link_in(mail.outbox[0])
    as_invitation = reverse("accounts:set_password", kwargs={"uidb64": match["uid"], "token": match["token"]})
    assert Client().get(as_invitation).status_code == 404
    invitation = default_token_generator.make_token(user)
    as_reset = reverse("accounts:reset_password", kwargs={"uidb64": match["uid"], "token": invitation})
    assert Client().get(as_reset).status_code == 404


def test_asking_is_limited_per_address_typed_known_or_not(make_user, ask, settings):
    settings.RATE_LIMIT_PASSWORD_RESET_EMAIL = "2/h"
    user = make_user(Role.REFERRER)
    for email in (user.email, "nobody@example.org"):
        assert ask(email).status_code == ask(email.upper()).status_code == 302
        refused = ask(f" {email} ")
        body = refused.content.decode()
        assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
        assert "No link was sent. You have asked for 2 password reset links for this email address" in body
        assert f'value=" {email} "' in body  # kept as typed
    assert len(mail.outbox) == 2
    assert [event.details for event in events("access.rate_limited")] == [
        {"limit": "password_reset_email", "rate": "2/h"}
    ] * 2
    assert events("auth.password_reset_requested").count() == 4
    assert ask("someone.else@example.org").status_code == 302  # another address is not held back


def test_asking_is_limited_per_client_address(make_user, ask, settings):
    settings.RATE_LIMIT_PASSWORD_RESET_ADDRESS = "3/h"
    office = Client(REMOTE_ADDR="192.0.2.10")
    for number in range(3):
        assert ask(f"person{number}@example.org", office).status_code == 302
    refused = ask("person9@example.org", office)
    assert refused.status_code == 429
    assert "You have asked for 3 password reset links from this network" in refused.content.decode()
    (event,) = events("access.rate_limited")
    assert event.details == {"limit": "password_reset_address", "rate": "3/h"} and event.ip_address == "192.0.2.10"
    assert ask("person9@example.org", Client(REMOTE_ADDR="192.0.2.11")).status_code == 302


def test_an_officer_gives_a_code_from_their_app_before_the_new_password(make_user, ask, clock):
    officer = make_user(Role.PREVENT_OFFICER)
    ask(officer.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    page = client.get(form_page)
    assert b"Enter your security code" in page.content and b"new_password1" not in page.content
    skipped = client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert skipped.status_code == 200 and b"Enter the code from your authenticator app" in skipped.content
    wrong = client.post(form_page, {"code": "000000"})
    assert wrong.status_code == 200 and b"The code is not right" in wrong.content
    assert events("auth.second_factor_failed").get().target_id == str(officer.pk)
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)

    clock.shift(3)  # django-otp makes the next try wait after a wrong code
    code = client.post(form_page, {"code": totp_now(officer.totpdevice_set.get())})
    assert code.status_code == 302 and code["Location"] == form_page
    assert b"Choose a new password" in client.get(form_page).content
    client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert events("auth.password_reset_link_used").get().details == {"next_step": "code"}


def test_a_backup_code_does_instead_and_is_spent(make_user, ask):
    from accounts.models import BackupCode

    supervisor = make_user(Role.SUPERVISOR)
    codes = services.generate_backup_codes(supervisor, by=supervisor)
    ask(supervisor.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    assert client.post(form_page, {"code": codes[0]}).status_code == 302
    assert BackupCode.objects.filter(device__user=supervisor).count() == 9
    client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    supervisor.refresh_from_db()
    assert supervisor.check_password(NEW_PASSWORD)


def test_the_code_given_for_one_link_does_not_open_another(make_user, ask):
    officer = make_user(Role.PREVENT_OFFICER)
    ask(officer.email)
    ask(officer.email)
    first, second = (link_in(message) for message in mail.outbox)
    client, form_page = open_link(first)
    assert client.post(form_page, {"code": totp_now(officer.totpdevice_set.get())}).status_code == 302
    open_link(second, client)
    assert b"Enter your security code" in client.get(form_page).content


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.SYSTEM_ADMIN])
def test_an_account_that_needs_two_factor_but_has_no_device_is_sent_to_its_administrator(make_user, ask, role):
    user = make_user(role, with_device=False)
    ask(user.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    page = client.get(form_page)
    assert page.status_code == 200 and b"Ask your system administrator" in page.content
    main = page.content.split(b"<main")[1].split(b"</main>")[0]
    assert b"<form" not in main and b"<input" not in main
    client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert events("auth.password_reset_link_used").get().details == {"next_step": "administrator"}
    with pytest.raises(PermissionDenied):
        reset.reset_password(user, by=user, password=NEW_PASSWORD, second_factor_given=True)


def test_the_service_refuses_a_reset_without_the_code_an_account_has(make_user):
    partner_with_app = make_user(Role.REFERRER, with_device=True)
    with pytest.raises(PermissionDenied):
        reset.reset_password(partner_with_app, by=partner_with_app, password=NEW_PASSWORD, second_factor_given=False)
    reset.reset_password(partner_with_app, by=partner_with_app, password=NEW_PASSWORD, second_factor_given=True)
    partner_with_app.refresh_from_db()
    assert partner_with_app.check_password(NEW_PASSWORD)


def test_a_reset_ends_every_other_session_of_the_user(make_user, ask, signed_in):
    user = make_user(Role.REFERRER)
    laptop = signed_in(user=user)
    assert laptop.get(HOME).status_code == 200
    ask(user.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert laptop.get(HOME).status_code == 302
    # And the new password signs in.
    assert client.post(SIGN_IN, {"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    assert client.get(HOME).status_code == 200


def test_the_user_is_told_by_email_that_the_password_changed(make_user, ask, django_capture_on_commit_callbacks):
    user = make_user(Role.REFERRER)
    ask(user.email)
    client, form_page = open_link(link_in(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert mail.outbox[-1].subject == f"{settings.SERVICE_NAME}: Your password was changed"


def test_no_token_reaches_a_log_line(make_user, ask, caplog):
    user = make_user(Role.REFERRER)
    ask(user.email)
    match = link_in(mail.outbox[0])
    services.end_all_sessions(user, by=user)  # the link is dead: its page answers 404, which Django logs
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(path_of(match)).status_code == 404
    (record,) = [record for record in caplog.records if record.name == "django.request"]
    # What the service's own handlers write (the root's console, as LOGGING sets it up).
    root = [handler for handler in logging.getLogger().handlers if type(handler) is logging.StreamHandler]
    assert root
    for handler in root:
        assert any(isinstance(f, HideLinkTokens) for f in handler.filters)
        assert handler.filter(record)
        line = handler.format(record)
        assert match["token"] not in line and "Not Found: /accounts/reset-password/" in line
    configured = settings.LOGGING["handlers"]
    assert configured and all("no_link_tokens" in handler.get("filters", []) for handler in configured.values())


def test_the_log_filter_hides_both_kinds_of_link_token():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"GET %s HTTP/1.1" 200', None, None)
    for path in ("/accounts/reset-password/MQ/cz1x-0a1b2c/", "/accounts/set-password/Mg/cz1x-0a1b2c/?next=/"):
        record.msg, record.args = '"GET %s HTTP/1.1" 200', (path,)
        assert HideLinkTokens().filter(record)
        assert "cz1x-0a1b2c" not in record.getMessage() and "/[token]/" in record.getMessage()
