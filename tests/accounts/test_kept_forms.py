"""No typed work lost: a form sent as the session ends comes back, once, to the same user, after signing in again."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import kept
from accounts.models import KeptForm, Role
from accounts.tasks import erase_expired_kept_forms
from audit.models import AuditEvent
from referrals import services
from tests.conftest import PASSWORD

WORDS = "He said he wanted to hurt people at the match on Saturday."
SIGN_IN = reverse("accounts:sign_in")


@pytest.fixture
def referrer(make_user):
    return make_user(Role.REFERRER)


@pytest.fixture
def concerns(referrer):
    draft = services.start_referral(by=referrer)
    return reverse("referrals:section", args=[draft.pk, "concerns"])


def timed_out(signed_in, clock, user, page, data=None, **extra):
    """Sign in, open the page, sit idle past the limit, then send the form; return the client and the answer."""
    client = signed_in(user=user)
    assert client.get(page).status_code == 200
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    response = client.post(page, data or {"concerns": WORDS, "how_noticed": "A classmate told me."}, **extra)
    return client, response


def sign_in_again(client, user):
    return client.post(SIGN_IN, {"email": user.email, "password": PASSWORD})


def test_a_referrer_timed_out_on_the_concerns_page_gets_their_words_back_after_signing_in(
    signed_in, clock, referrer, concerns
):
    client, response = timed_out(signed_in, clock, referrer, concerns)
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert WORDS not in response["Location"]
    page = client.get(SIGN_IN).content.decode()
    assert "What you had typed is kept for 30 minutes" in page
    row = KeptForm.objects.get()
    assert row.user == referrer and row.path == concerns
    assert WORDS not in row.sealed and "concerns" not in row.sealed  # encrypted at rest, the fields' names too
    assert kept.unseal(row.sealed)["concerns"] == WORDS

    back = sign_in_again(client, referrer)
    assert back["Location"] == concerns and WORDS not in back["Location"]
    page = client.get(concerns).content.decode()
    assert WORDS in page and "A classmate told me." in page
    assert "What you typed is shown again" in page
    assert not KeptForm.objects.exists()  # erased as it was given back
    # Nothing was saved while signed out: the draft still lacks the concerns until the user saves them.
    assert "concerns" not in _draft(concerns).answers
    again = client.get(concerns).content.decode()
    assert WORDS not in again  # given back once only


def _draft(page):
    from referrals.models import Referral

    return Referral.objects.get(pk=page.split("/")[2])


def test_the_keep_and_the_restore_are_audited_without_the_words(signed_in, clock, referrer, concerns):
    client, _ = timed_out(signed_in, clock, referrer, concerns)
    sign_in_again(client, referrer)
    client.get(concerns)
    kept_event = AuditEvent.objects.get(action="session.form_kept")
    restored = AuditEvent.objects.get(action="session.form_restored")
    assert kept_event.actor_id == restored.actor_id == referrer.pk
    for event in (kept_event, restored):
        assert WORDS not in str(event.details) and "concerns" not in str(event.details)


def test_a_different_user_signing_in_in_that_browser_never_gets_it(signed_in, clock, referrer, concerns, make_user):
    client, _ = timed_out(signed_in, clock, referrer, concerns)
    colleague = make_user(Role.REFERRER, organisation=referrer.organisation)
    back = sign_in_again(client, colleague)
    assert back["Location"] == "/"
    assert not KeptForm.objects.exists()  # erased unread
    assert AuditEvent.objects.filter(action="session.kept_form_erased").exists()
    assert WORDS not in client.get(concerns).content.decode()


def test_the_same_user_in_another_browser_does_not_get_it(signed_in, clock, referrer, concerns):
    timed_out(signed_in, clock, referrer, concerns)
    elsewhere = Client()
    assert sign_in_again(elsewhere, referrer)["Location"] == "/"
    assert WORDS not in elsewhere.get(concerns).content.decode()
    assert KeptForm.objects.count() == 1  # still waiting for the browser it was kept in, until it expires


def test_a_kept_form_past_its_time_is_not_given_back_and_the_clean_up_erases_it(signed_in, clock, referrer, concerns):
    client, _ = timed_out(signed_in, clock, referrer, concerns)
    clock.shift(settings.KEPT_FORM_MINUTES * 60 + 1)
    assert sign_in_again(client, referrer)["Location"] == "/"
    assert WORDS not in client.get(concerns).content.decode()
    assert erase_expired_kept_forms() == 1
    assert not KeptForm.objects.exists()


def test_the_clean_up_leaves_forms_still_in_their_time(signed_in, clock, referrer, concerns):
    timed_out(signed_in, clock, referrer, concerns)
    assert erase_expired_kept_forms() == 0
    assert kept.erase_expired(now=timezone.now() + timedelta(minutes=settings.KEPT_FORM_MINUTES, seconds=1)) == 1


def test_the_sign_in_form_and_pages_that_do_not_keep_typed_work_keep_nothing(signed_in, clock, referrer, concerns):
    client = signed_in(user=referrer)
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": "x"})
    client = signed_in(user=referrer)
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    client.post(SIGN_IN, {"email": referrer.email, "password": PASSWORD})
    assert not KeptForm.objects.exists()


def test_a_file_is_never_kept_and_the_user_is_told_to_choose_it_again(signed_in, clock, referrer, concerns):
    upload = SimpleUploadedFile("notes.txt", b"a file's words", content_type="text/plain")
    client, _ = timed_out(signed_in, clock, referrer, concerns, {"concerns": WORDS, "evidence": upload})
    row = KeptForm.objects.get()
    assert row.files_dropped and "evidence" not in kept.unseal(row.sealed)
    sign_in_again(client, referrer)
    page = client.get(concerns).content.decode()
    assert WORDS in page and "choose any file again" in page


def test_a_forged_post_without_the_csrf_token_is_not_kept(make_user, clock, concerns, referrer):
    from tests.conftest import sign_in_client

    client = sign_in_client(Client(enforce_csrf_checks=True), referrer)
    clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    client.post(concerns, {"concerns": WORDS})
    assert not KeptForm.objects.exists()


def test_the_warnings_last_act_is_kept_and_never_acted_on_while_the_session_lasts(signed_in, referrer, concerns):
    client = signed_in(user=referrer)
    response = client.post(concerns, {"concerns": WORDS, kept.KEEP_FIELD: "1"})
    assert response.status_code == 302 and response["Location"] == concerns
    assert "concerns" not in _draft(concerns).answers  # not saved
    page = client.get(concerns).content.decode()
    assert WORDS in page


def test_nothing_kept_reaches_a_log(signed_in, clock, referrer, concerns, caplog):
    with caplog.at_level(logging.DEBUG):
        client, _ = timed_out(signed_in, clock, referrer, concerns)
        sign_in_again(client, referrer)
        client.get(concerns)
    assert WORDS not in caplog.text


def test_an_officer_gets_a_kept_form_back_after_the_security_code_step(signed_in, clock, make_user):
    from tests.conftest import totp_now

    officer = make_user(Role.PREVENT_OFFICER)
    page = reverse("referrals:start_on_behalf")
    client, response = timed_out(signed_in, clock, officer, page, {"channel": "phone"})
    assert response["Location"] == SIGN_IN and KeptForm.objects.filter(user=officer).exists()
    assert sign_in_again(client, officer)["Location"] == reverse("accounts:second_factor")
    code = totp_now(officer.totpdevice_set.get())
    assert client.post(reverse("accounts:second_factor"), {"code": code})["Location"] == page
    assert "What you typed is shown again" in client.get(page).content.decode()
    assert not KeptForm.objects.exists()
