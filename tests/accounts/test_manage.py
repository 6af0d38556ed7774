import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Organisation, Role, User
from audit.models import AuditEvent

USERS = reverse("accounts:user_list")
NEW_USER = reverse("accounts:user_create")


@pytest.fixture
def admin(signed_in):
    return signed_in(Role.SYSTEM_ADMIN)


@pytest.fixture
def school(make_organisation):
    return make_organisation(Organisation.Kind.PARTNER, name="Hill School")


def new_user_form(organisation, **changes):
    return {
        "full_name": "Dana Designated",
        "email": "Dana@Hill.example",
        "organisation": organisation.pk,
        "roles": [Role.REFERRER],
        **changes,
    }


def test_an_administrator_adds_a_user_who_gets_a_link_to_set_a_password(
    admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(NEW_USER, new_user_form(school))
    user = User.objects.get(email="dana@hill.example")
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.role_names == ["referrer"] and not user.has_usable_password()
    assert AuditEvent.objects.filter(action="user.created", target_id=str(user.pk), actor=admin.user).exists()
    (message,) = mail.outbox
    assert message.to == ["dana@hill.example"]
    assert "Dana" not in message.subject + message.body  # a link, never personal data
    link = re.search(r"http://\S+", message.body).group(0)
    path = link.removeprefix("http://127.0.0.1:8000")
    token = path.rstrip("/").rsplit("/", 1)[1]

    invitee = Client()
    page = invitee.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    assert token not in form_url  # the token leaves the address bar at once
    assert Client().get(form_url).status_code == 404  # and is no use without this browser's session
    short = invitee.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert b"at least 12 characters" in short.content
    common = invitee.post(form_url, {"new_password1": "password1234", "new_password2": "password1234"})
    assert b"too common" in common.content
    new = "three quiet river stones"
    done = invitee.post(form_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("accounts:sign_in")
    assert Client().get(path).status_code == 404  # the link worked once
    assert AuditEvent.objects.filter(action="auth.password_changed", target_id=str(user.pk)).exists()


def test_adding_a_user_keeps_what_was_typed_when_something_is_wrong(admin, school, make_user):
    taken = make_user(Role.REFERRER)
    response = admin.post(NEW_USER, new_user_form(school, email=taken.email.upper(), roles=[Role.PREVENT_OFFICER]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "A user with this email address already exists" in body
    assert "cannot be: Prevent officer" in body  # police roles stay in the police
    assert 'value="Dana Designated"' in body
    assert not User.objects.filter(full_name="Dana Designated").exists()


def test_changing_a_user_is_audited_with_field_history(admin, make_user):
    user = make_user(Role.REFERRER)
    response = admin.post(
        reverse("accounts:user_detail", args=[user.pk]),
        {
            "full_name": "Renamed Person",
            "email": user.email,
            "organisation": user.organisation_id,
            "roles": [Role.REFERRER, Role.PANEL_MEMBER],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.full_name == "Renamed Person" and user.role_names == ["panel_member", "referrer"]
    event = AuditEvent.objects.get(action="user.updated")
    assert event.details["fields"] == ["full_name"]
    assert event.details["roles_after"] == ["panel_member", "referrer"]
    entries = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE)
    (renamed,) = [entry for entry in entries if "full_name" in entry.changes_dict]
    assert renamed.actor == admin.user and renamed.remote_addr == "127.0.0.1"
    assert renamed.changes_dict["full_name"][1] == "Renamed Person"
    assert any("groups" in entry.changes_dict for entry in entries)


def test_deactivating_an_organisation_shuts_out_its_members(admin, signed_in, make_user):
    from tests.conftest import PASSWORD

    member = make_user(Role.REFERRER)
    their_client = signed_in(user=member)
    organisation = member.organisation
    admin.post(
        reverse("accounts:organisation_edit", args=[organisation.pk]),
        {"name": organisation.name, "kind": organisation.kind, "sector": organisation.sector},
    )
    assert not Organisation.objects.get(pk=organisation.pk).is_active
    assert their_client.get(reverse("pages:home")).status_code == 302
    response = Client().post(reverse("accounts:sign_in"), {"email": member.email, "password": PASSWORD})
    assert b"Enter a correct email address and password" in response.content


def test_the_user_form_never_offers_a_deactivated_organisation_to_new_users(admin, make_user):
    member = make_user(Role.REFERRER)
    services.update_organisation(member.organisation, by=None, is_active=False)
    assert admin.get(reverse("accounts:user_detail", args=[member.pk])).status_code == 200
    response = admin.post(NEW_USER, new_user_form(member.organisation))
    assert b"Select an organisation from the list" in response.content


def test_deactivating_a_user_ends_their_sessions(admin, signed_in, make_user):
    user = make_user(Role.PREVENT_OFFICER)
    their_client = signed_in(user=user)
    admin.post(
        reverse("accounts:user_detail", args=[user.pk]),
        {
            "full_name": user.full_name,
            "email": user.email,
            "organisation": user.organisation_id,
            "roles": [Role.PREVENT_OFFICER],
        },
    )
    user.refresh_from_db()
    assert not user.is_active
    assert their_client.get(reverse("pages:home")).status_code == 302


def test_an_administrator_cannot_lock_themselves_out(admin):
    me = admin.user
    response = admin.post(
        reverse("accounts:user_detail", args=[me.pk]),
        {
            "full_name": me.full_name,
            "email": me.email,
            "organisation": me.organisation_id,
            "roles": [Role.SYSTEM_ADMIN],
        },
    )
    assert response.status_code == 200
    assert b"cannot change your own roles or deactivate your own account" in response.content
    me.refresh_from_db()
    assert me.is_active


def test_an_administrator_cannot_give_themselves_a_police_role(admin):
    me = admin.user
    response = admin.post(
        reverse("accounts:user_detail", args=[me.pk]),
        {
            "full_name": me.full_name,
            "email": me.email,
            "organisation": me.organisation_id,
            "roles": [Role.SYSTEM_ADMIN, Role.SUPERVISOR],
            "is_active": "on",
        },
    )
    assert b"cannot change your own roles" in response.content
    assert User.objects.get(pk=me.pk).role_names == ["system_admin"]


def test_resetting_two_factor_removes_the_devices_and_signs_the_user_out(admin, signed_in, make_user):
    # A partner with optional two-factor: losing the device alone would not end the session.
    user = make_user(Role.REFERRER, with_device=True)
    their_client = signed_in(user=user)
    admin.post(reverse("accounts:user_reset_mfa", args=[user.pk]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert their_client.get(reverse("pages:home")).status_code == 302
    assert AuditEvent.objects.filter(action="mfa.reset", target_id=str(user.pk)).exists()


def test_viewing_users_is_audited_with_the_ids_shown(admin, make_user, django_assert_max_num_queries):
    for _ in range(5):
        make_user(Role.REFERRER)
    with django_assert_max_num_queries(12):
        response = admin.get(USERS)
    ids = AuditEvent.objects.get(action="user.list_viewed").details["ids"]
    assert len(ids) == User.objects.count() == len(response.context["page"])
    admin.get(reverse("accounts:user_detail", args=[ids[0]]))
    assert AuditEvent.objects.filter(action="user.viewed", target_id=str(ids[0])).exists()


def test_the_user_list_runs_the_same_queries_whatever_the_number_of_users(admin, make_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_user(Role.REFERRER)
    with CaptureQueriesContext(connection) as few:
        admin.get(USERS)
    for _ in range(20):
        make_user(Role.REFERRER, Role.PANEL_MEMBER)
    with django_assert_num_queries(len(few.captured_queries)):
        admin.get(USERS)


def test_an_unknown_user_is_not_found_and_nothing_is_recorded(admin):
    assert admin.get(reverse("accounts:user_detail", args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(action="user.viewed").exists()


def test_an_administrator_adds_and_edits_an_organisation(admin):
    response = admin.post(reverse("accounts:organisation_create"), {"name": "", "kind": "partner"})
    assert b"Enter the organisation&#x27;s name" in response.content and b"Select the sector" in response.content
    admin.post(reverse("accounts:organisation_create"), {"name": "St Mary's GP", "kind": "partner", "sector": "health"})
    organisation = Organisation.objects.get(name="St Mary's GP")
    admin.post(
        reverse("accounts:organisation_edit", args=[organisation.pk]),
        {"name": "St Mary's Surgery", "kind": "partner", "sector": "health", "is_active": "on"},
    )
    organisation.refresh_from_db()
    assert organisation.name == "St Mary's Surgery"
    assert [e.action for e in AuditEvent.objects.filter(target_id=str(organisation.pk)).order_by("id")] == [
        "organisation.created",
        "organisation.updated",
    ]


def test_a_user_changes_their_own_password_and_other_sessions_end(signed_in, make_user):
    from tests.conftest import PASSWORD

    user = make_user(Role.REFERRER)
    here, elsewhere = signed_in(user=user), signed_in(user=user)
    url = reverse("accounts:password_change")
    wrong = here.post(
        url, {"old_password": "nope", "new_password1": "a b c d e f g h", "new_password2": "a b c d e f g h"}
    )
    assert b"Your old password was entered incorrectly" in wrong.content
    new = "lantern harbour violet steam"
    response = here.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:security")
    assert here.get(reverse("pages:home")).status_code == 200
    assert elsewhere.get(reverse("pages:home")).status_code == 302


def test_a_partner_can_add_two_factor_and_new_backup_codes_replace_old_ones(signed_in, make_user, clock):
    from accounts.models import BackupCodeDevice, backup_code_digests
    from tests.conftest import PASSWORD, totp_now

    client = signed_in(Role.REFERRER)
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=client.user, confirmed=False)
    # A session alone is not enough to change how the user signs in: the password is asked again.
    refused = client.post(reverse("accounts:enrol"), {"code": totp_now(device), "password": "wrong"})
    assert b"Your password is not right" in refused.content
    assert not TOTPDevice.objects.filter(user=client.user, confirmed=True).exists()
    clock.shift(31)
    response = client.post(reverse("accounts:enrol"), {"code": totp_now(device), "password": PASSWORD})
    first = response.context["codes"]
    refused = client.post(reverse("accounts:backup_codes"), {"password": "wrong"})
    assert b"Your password is not right" in refused.content
    second = client.post(reverse("accounts:backup_codes"), {"password": PASSWORD}).context["codes"]
    assert set(first).isdisjoint(second)
    stored = set(BackupCodeDevice.objects.get(user=client.user).codes.values_list("digest", flat=True))
    assert stored == {backup_code_digests(client.user.pk, code)[0] for code in second}  # the old set is gone
    assert client.get(reverse("accounts:security")).context["has_app"]
