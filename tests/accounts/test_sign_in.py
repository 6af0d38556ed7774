import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Role
from audit.models import AuditEvent
from tests.conftest import PASSWORD, totp_now

SIGN_IN = reverse("accounts:sign_in")
CODE = reverse("accounts:second_factor")
ENROL = reverse("accounts:sign_in_enrol")
HOME = reverse("pages:home")


def post_password(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password, **extra})


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_a_partner_without_two_factor_signs_in_with_a_password(make_user):
    user = make_user(Role.REFERRER)
    client = Client()
    response = post_password(client, user.email.upper())
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(HOME).status_code == 200
    event = AuditEvent.objects.get(action="auth.signed_in")
    assert event.actor == user and event.details["second_factor"] == "none"
    assert event.ip_address == "127.0.0.1"


def test_signing_in_gives_a_new_session_id(make_user):
    user = make_user(Role.REFERRER)
    client = Client()
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    post_password(client, user.email)
    assert client.session.session_key != before


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(make_user):
    user = make_user(Role.REFERRER)
    wrong = post_password(Client(), user.email, "not the password")
    unknown = post_password(Client(), "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert b"Enter a correct email address and password" in wrong.content

    def page(response, email):
        return re.sub(rb'(nonce|value)="[^"]+"', b"", response.content.replace(email.encode(), b"X"))

    assert page(wrong, user.email) == page(unknown, "nobody@example.org")
    failures = AuditEvent.objects.filter(action="auth.sign_in_failed").order_by("id")
    assert [event.target_id for event in failures] == [str(user.pk), ""]
    # The typed address is kept only as a keyed hash.
    assert all("@" not in str(event.details) for event in failures)


def test_the_sign_in_form_keeps_what_was_typed_and_explains_each_problem(db):
    response = Client().post(SIGN_IN, {"email": "not-an-email", "password": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter an email address in the correct format" in body and "Enter your password" in body
    assert 'value="not-an-email"' in body


def test_an_officer_must_give_a_code_before_anything_opens(make_user, clock):
    user = make_user(Role.PREVENT_OFFICER)
    client = Client()
    response = post_password(client, user.email)
    assert response["Location"] == CODE
    # Half-way: nothing behind sign-in is open.
    assert client.get(HOME)["Location"].startswith(SIGN_IN)
    response = client.post(CODE, {"code": "000000" if totp_now(user.totpdevice_set.get()) != "000000" else "111111"})
    assert b"The code is not right" in response.content
    clock.shift(2)  # django-otp slows down guessing after a wrong code
    response = client.post(CODE, {"code": totp_now(user.totpdevice_set.get())})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert actions()[-3:] == ["auth.password_accepted", "auth.second_factor_failed", "auth.signed_in"]
    assert AuditEvent.objects.filter(action="auth.second_factor_failed", target_id=str(user.pk)).count() == 1
    assert AuditEvent.objects.get(action="auth.signed_in").details["second_factor"] == "TOTPDevice"


def test_the_code_step_expires(make_user, clock):
    user = make_user(Role.SUPERVISOR)
    client = Client()
    post_password(client, user.email)
    clock.shift(settings.MFA_PENDING_SECONDS + 1)
    response = client.post(CODE, {"code": totp_now(user.totpdevice_set.get())})
    assert response["Location"] == SIGN_IN
    assert client.get(HOME).status_code == 302


def test_a_backup_code_signs_in_once(make_user):
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import BackupCodeDevice

    user = make_user(Role.PREVENT_OFFICER)
    codes = services.generate_backup_codes(user, by=user)
    first = Client()
    post_password(first, user.email)
    assert first.post(CODE, {"code": f" {codes[0][:5].upper()} {codes[0][5:]} "}).status_code == 302
    assert first.get(HOME).status_code == 200
    device = BackupCodeDevice.objects.get(user=user)
    assert first.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # django-otp's own binding
    assert AuditEvent.objects.get(action="auth.signed_in").details["second_factor"] == "BackupCodeDevice"
    assert device.codes.count() == 9
    second = Client()
    post_password(second, user.email)
    response = second.post(CODE, {"code": codes[0]})
    assert response.status_code == 200 and b"The code is not right" in response.content


def test_no_backup_code_is_stored_in_clear_anywhere_in_the_database(make_user):
    import io

    from django.core.management import call_command

    user = make_user(Role.PREVENT_OFFICER)
    codes = services.generate_backup_codes(user, by=user)
    everything = io.StringIO()
    call_command("dumpdata", stdout=everything)
    dumped = everything.getvalue().lower()
    assert '"model": "accounts.backupcode"' in dumped
    assert not [code for code in codes if code in dumped]


def test_backup_codes_are_throttled_by_django_otp_after_a_wrong_one(make_user, clock):
    user = make_user(Role.PREVENT_OFFICER)
    codes = services.generate_backup_codes(user, by=user)
    client = Client()
    post_password(client, user.email)
    assert b"The code is not right" in client.post(CODE, {"code": "0123456789"}).content
    assert b"The code is not right" in client.post(CODE, {"code": codes[0]}).content  # too soon after a failure
    clock.shift(2)
    assert client.post(CODE, {"code": codes[0]}).status_code == 302


def test_new_backup_codes_replace_the_old_ones_and_a_code_of_one_user_does_not_work_for_another(make_user, clock):
    user, other = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    old = services.generate_backup_codes(user, by=user)
    new = services.generate_backup_codes(user, by=user)
    services.generate_backup_codes(other, by=other)
    for code, who, works in ((old[0], user, False), (new[0], other, False), (new[0], user, True)):
        clock.shift(60)  # past any throttle the last failure set
        client = Client()
        post_password(client, who.email)
        assert (client.post(CODE, {"code": code}).status_code == 302) is works, (code, who, works)


def test_the_migration_hashes_backup_codes_kept_in_clear_and_they_still_sign_in(make_user):
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from accounts.models import BackupCodeDevice

    migration = importlib.import_module("accounts.migrations.0003_hash_clear_backup_codes")
    user = make_user(Role.PREVENT_OFFICER)
    old = StaticDevice.objects.create(user=user, name="Backup codes", throttling_failure_count=0)
    StaticToken.objects.bulk_create([StaticToken(device=old, token=code) for code in ("abcde12345", "fedcb54321")])

    migration.hash_clear_codes(apps, None)

    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    device = BackupCodeDevice.objects.get(user=user)
    assert device.codes.count() == 2
    assert not device.codes.filter(digest__in=["abcde12345", "fedcb54321"]).exists()
    client = Client()
    post_password(client, user.email)
    assert client.post(CODE, {"code": "abcde12345"}).status_code == 302
    assert device.codes.count() == 1


def test_an_officer_without_an_app_sets_one_up_at_first_sign_in(make_user):
    user = make_user(Role.PREVENT_OFFICER, with_device=False)
    client = Client()
    response = post_password(client, user.email)
    assert response["Location"] == ENROL
    page = client.get(ENROL)
    assert b'src="data:image/svg+xml' in page.content  # the QR code
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(ENROL, {"code": "12345"})
    assert b"Enter the code as 6 digits" in wrong.content and b'value="12345"' in wrong.content
    response = client.post(ENROL, {"code": totp_now(device)})
    assert response.status_code == 200
    assert b"Save your backup codes" in response.content
    assert len(response.context["codes"]) == 10
    assert client.get(HOME).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert {"mfa.device_enrolled", "mfa.backup_codes_generated", "auth.signed_in"} <= set(actions())


def test_a_partner_who_set_up_an_app_is_asked_for_a_code_too(make_user):
    user = make_user(Role.REFERRER, with_device=True)
    response = post_password(Client(), user.email)
    assert response["Location"] == CODE


def test_repeated_failures_lock_out_known_and_unknown_accounts_alike(make_user):
    user = make_user(Role.REFERRER)
    for email in (user.email, "ghost@example.org"):
        client = Client(REMOTE_ADDR="10.0.0.1" if email == user.email else "10.0.0.2")
        statuses = [
            post_password(client, email, "wrong password").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
        ]
        assert statuses[-1] == 429, statuses
        locked = post_password(client, email, PASSWORD if email == user.email else "whatever")
        assert locked.status_code == 429
        assert b"Too many attempts" in locked.content
    assert AuditEvent.objects.filter(action="auth.lockout_refused", target_id=str(user.pk)).exists()
    assert not AuditEvent.objects.filter(action="auth.signed_in").exists()


def test_an_administrator_can_unlock_an_account(make_user, signed_in):
    user = make_user(Role.REFERRER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(client, user.email, "wrong password")
    admin = signed_in(Role.SYSTEM_ADMIN)
    admin.post(reverse("accounts:user_unlock", args=[user.pk]))
    assert post_password(Client(REMOTE_ADDR="10.9.9.9"), user.email).status_code == 302
    assert AuditEvent.objects.filter(action="auth.unlocked", target_id=str(user.pk)).exists()


def test_sign_in_only_follows_a_next_link_on_this_site(make_user):
    user = make_user(Role.REFERRER)
    response = post_password(Client(), user.email, next="https://evil.example/")
    assert response["Location"] == "/"
    response = post_password(Client(), user.email, next="/accounts/security/")
    assert response["Location"] == "/accounts/security/"


def test_signing_out_ends_the_session_and_is_audited(signed_in):
    client = signed_in(Role.REFERRER)
    response = client.post(reverse("accounts:sign_out"))
    assert response["Location"] == SIGN_IN
    assert client.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(action="auth.signed_out", actor=client.user).exists()


def test_signing_out_is_post_only(signed_in):
    client = signed_in(Role.REFERRER)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert client.get(HOME).status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_user(signed_in, make_user):
    user = make_user(Role.PREVENT_OFFICER)
    laptop, phone = signed_in(user=user), signed_in(user=user)
    assert phone.get(HOME).status_code == 200
    laptop.post(reverse("accounts:sign_out_everywhere"))
    assert laptop.get(HOME).status_code == 302
    assert phone.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(action="auth.signed_out_everywhere", target_id=str(user.pk)).exists()


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.SUPERVISOR, Role.SYSTEM_ADMIN])
def test_police_roles_and_administrators_need_two_factor(make_user, role):
    assert make_user(role).requires_mfa


@pytest.mark.parametrize("role", [Role.REFERRER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER])
def test_partners_may_choose_two_factor(make_user, role):
    assert not make_user(role).requires_mfa


def test_a_password_alone_cannot_replace_an_existing_authenticator(make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    real_device = officer.totpdevice_set.get()
    attacker = Client()
    assert post_password(attacker, officer.email)["Location"] == CODE
    # The enrolment step is not open to someone who already has an app.
    assert attacker.get(ENROL)["Location"] == SIGN_IN
    assert attacker.post(ENROL, {"code": "123456"})["Location"] == SIGN_IN
    assert list(TOTPDevice.objects.filter(user=officer)) == [real_device]
    assert attacker.get(HOME).status_code == 302


def test_the_code_step_is_not_open_to_someone_who_must_enrol(make_user):
    officer = make_user(Role.PREVENT_OFFICER, with_device=False)
    client = Client()
    assert post_password(client, officer.email)["Location"] == ENROL
    assert client.get(CODE)["Location"] == SIGN_IN


def test_each_enrolment_gets_a_fresh_key_and_only_the_shown_one_is_accepted(make_user, clock):
    officer = make_user(Role.SUPERVISOR, with_device=False)
    earlier, later = Client(), Client()
    post_password(earlier, officer.email)
    earlier.get(ENROL)
    seen_by_earlier = TOTPDevice.objects.get(user=officer, confirmed=False)
    post_password(later, officer.email)
    later.get(ENROL)
    seen_by_later = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert seen_by_later.key != seen_by_earlier.key
    # The earlier key is gone: a key someone else once saw can never become the real one.
    assert earlier.post(ENROL, {"code": totp_now(seen_by_earlier)})["Location"] == ENROL
    assert later.post(ENROL, {"code": totp_now(seen_by_later)}).status_code == 200
    assert TOTPDevice.objects.get(user=officer, confirmed=True).key == seen_by_later.key
    assert AuditEvent.objects.filter(action="mfa.enrolment_started", target_id=str(officer.pk)).count() == 2


def test_one_address_spraying_many_accounts_is_throttled_without_locking_them_out(make_user, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 4
    victim = make_user(Role.REFERRER)
    sprayer = Client(REMOTE_ADDR="198.51.100.66")
    for number in range(settings.SIGN_IN_ADDRESS_LIMIT):
        assert post_password(sprayer, f"guess{number}@example.org", "Winter2026!").status_code == 200
    throttled = post_password(sprayer, victim.email)
    assert throttled.status_code == 429 and b"Too many attempts" in throttled.content
    # The accounts themselves are not locked: the victim signs in from their own address.
    assert post_password(Client(REMOTE_ADDR="203.0.113.8"), victim.email).status_code == 302


def test_one_persons_typos_do_not_lock_out_colleagues_on_the_same_address(make_user):
    typist, colleague = make_user(Role.REFERRER), make_user(Role.REFERRER)
    office = "192.0.2.50"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(Client(REMOTE_ADDR=office), typist.email, "wrong password")
    assert post_password(Client(REMOTE_ADDR=office), typist.email).status_code == 429
    assert post_password(Client(REMOTE_ADDR=office), colleague.email).status_code == 302


def test_asking_for_the_password_again_counts_towards_the_lockout(signed_in):
    client = signed_in(Role.REFERRER)
    url = reverse("accounts:backup_codes")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"password": "guess"})
        assert b"Your password is not right" in response.content
    assert client.post(url, {"password": "guess"}).status_code == 429
    assert client.post(url, {"password": PASSWORD}).status_code == 429
    assert AuditEvent.objects.filter(action="auth.password_recheck_failed").count() >= settings.AXES_FAILURE_LIMIT - 1


def test_backup_codes_still_work_after_the_secret_key_is_rotated_into_the_fallbacks(make_user, settings):
    user = make_user(Role.PREVENT_OFFICER)
    codes = services.generate_backup_codes(user, by=user)
    settings.SECRET_KEY_FALLBACKS, settings.SECRET_KEY = [settings.SECRET_KEY], "a-new-key-" + "y" * 50
    client = Client()
    post_password(client, user.email)
    assert client.post(CODE, {"code": codes[0]}).status_code == 302
