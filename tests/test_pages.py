import re

from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Role


def test_pages_carry_strict_security_headers_and_a_fresh_script_nonce(db):
    first, second = Client().get(reverse("accounts:sign_in")), Client().get(reverse("accounts:sign_in"))
    csp = first["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"'.encode() in first.content
    assert nonce not in second["Content-Security-Policy"]
    assert first["X-Frame-Options"] == "DENY"
    assert first["X-Content-Type-Options"] == "nosniff"
    assert first["Referrer-Policy"] == "same-origin"
    assert first["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in first["Cache-Control"] or "no-cache" in first["Cache-Control"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_sent_to_https_but_the_health_check_is_not(db):
    response = Client().get(reverse("accounts:sign_in"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert Client().get(reverse("pages:healthz")).status_code == 200


def test_the_layout_has_a_skip_link_service_name_phase_banner_and_statements(db):
    body = Client().get(reverse("accounts:sign_in")).content.decode()
    assert 'class="govuk-skip-link"' in body and 'href="#main-content"' in body
    assert "Prevent referrals" in body and "govuk-phase-banner" in body
    assert reverse("pages:privacy") in body and reverse("pages:accessibility") in body
    assert "call 999" in body


def test_an_unknown_page_is_a_plain_not_found(db):
    response = Client().get("/no/such/page/")
    assert response.status_code == 404 and b"Page not found" in response.content
    assert b"/no/such/page/" not in response.content


def test_the_home_page_shows_what_each_role_may_do(signed_in):
    admin = signed_in(Role.SYSTEM_ADMIN).get(reverse("pages:home")).content.decode()
    referrer = signed_in(Role.REFERRER).get(reverse("pages:home")).content.decode()
    assert reverse("accounts:user_list") in admin
    assert reverse("accounts:user_list") not in referrer


@override_settings(DEMO_DATA_ALLOWED=True)
def test_demo_data_has_one_account_per_role_and_loads_twice_without_change(db, capsys):
    from django_otp.oath import totp

    from accounts.management.commands.load_demo import DEMO_PASSWORD, EXTRA_USERS, USERS, demo_totp_key_hex
    from accounts.models import Organisation, User

    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    again = capsys.readouterr().out
    everyone = len(USERS) + len(EXTRA_USERS)
    assert f"{everyone} new accounts" in first and f"0 new accounts, {everyone} already there" in again
    assert {user.role_names[0] for user in User.objects.all()} == set(Role.values)
    assert {role for _email, _name, _organisation, role in USERS} == set(Role.values)
    # The members of the public's organisation is made when a first referral for the public is recorded.
    kinds = set(Organisation.Kind.values) - {Organisation.Kind.PUBLIC}
    assert set(Organisation.objects.values_list("kind", flat=True)) == kinds
    assert DEMO_PASSWORD in first and "PREVENTDEMOSECRETKEYPREVENTDEMO2" in first and "█" in first

    officer = next(email for email, _, _, role in USERS if role == Role.PREVENT_OFFICER)
    client = Client()
    response = client.post(reverse("accounts:sign_in"), {"email": officer, "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("accounts:second_factor")
    code = f"{totp(bytes.fromhex(demo_totp_key_hex())):06d}"
    assert client.post(reverse("accounts:second_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("pages:home")).status_code == 200


def test_a_form_without_its_security_token_gets_a_clear_page(db):
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:sign_in"), {"email": "a@b.example"})
    assert response.status_code == 403 and b"This form has expired" in response.content


@override_settings(ALLOWED_HOSTS=["prevent.example.police.uk"])
def test_a_request_for_a_foreign_host_gets_the_services_own_bad_request_page(db):
    response = Client(raise_request_exception=False).get(reverse("pages:home"), HTTP_HOST="evil.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in body and "Prevent referrals" in body
    assert "evil.example" not in body and "Traceback" not in body and "Sign out" not in body
