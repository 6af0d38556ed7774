"""Each event tells the right people, in the transaction of the event."""

import datetime

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services as accounts
from accounts.models import Role
from cases import intake, services, support
from cases.models import Case, Outcome
from notifications.models import Notification
from tests.cases.support_factories import case_in_support, decided_case
from tests.conftest import PASSWORD, totp_now
from tests.referrals.factories import make_draft, make_referral

K = Notification.Kind


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "reference"))


def test_submitting_tells_the_team_and_acknowledges_the_referrer(make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    partner = make_user(Role.REFERRER)
    referral = make_referral(partner)
    assert kinds(officer) == [(K.REFERRAL_SUBMITTED, referral.reference)]
    assert kinds(partner) == [(K.REFERRAL_RECEIVED, referral.reference)]
    assert Notification.objects.get(recipient=partner).link == reverse("referrals:detail", args=[referral.pk])


def test_a_referral_entered_by_police_sends_no_acknowledgement_to_the_officer(make_user):

    officer, partner = make_user(Role.PREVENT_OFFICER), make_user(Role.REFERRER)
    draft = make_draft(officer, organisation=partner.organisation, channel="phone")
    intake.submit_referral(draft, by=officer)
    assert [kind for kind, _ in kinds(officer)] == [K.REFERRAL_SUBMITTED]


def test_assigning_tells_the_officer_but_taking_a_case_oneself_does_not(make_user):
    case = make_referral(make_user(Role.REFERRER)).case
    supervisor = make_user(Role.SUPERVISOR)
    officer, other = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    services.assign(case, to=officer, by=supervisor)
    services.assign(case, to=other, by=supervisor)
    assert kinds(officer) == [(K.CASE_ASSIGNED, case.reference)]
    assert kinds(other) == [(K.CASE_ASSIGNED, case.reference)]
    mine = make_referral(make_user(Role.REFERRER)).case
    services.assign(mine, to=officer, by=officer)
    assert Notification.objects.filter(recipient=officer, kind=K.CASE_ASSIGNED).count() == 1


def test_a_decision_and_a_closure_awaiting_sign_off_tell_the_other_supervisors(make_user):
    officer, first, second = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    case = decided_case(make_user, officer=officer)  # police-led: its decision waited for sign-off

    def told(user):
        return Notification.objects.filter(kind=K.SIGN_OFF_REQUESTED, reference=case.reference, recipient=user).count()

    assert (told(officer), told(first), told(second)) == (0, 1, 1)
    services.move(case, by=first, action="propose_closure")
    assert (told(officer), told(first), told(second)) == (0, 1, 2)


def test_a_provider_hears_of_access_given_and_ended_but_not_of_handing_back_themselves(make_user):
    case = case_in_support(make_user)
    provider = make_user(Role.SUPPORT_PROVIDER)
    grant = support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    support.revoke_provider(grant, by=case.assigned_to)
    assert kinds(provider) == [(K.PROVIDER_ACCESS_REVOKED, case.reference), (K.PROVIDER_ACCESS_GRANTED, case.reference)]
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    support.hand_back(Case.objects.get(pk=case.pk), by=provider)
    assert [kind for kind, _ in kinds(provider)].count(K.PROVIDER_ACCESS_REVOKED) == 1


def test_listing_a_case_tells_the_panel_members_once(make_user):
    member, outsider = make_user(Role.PANEL_MEMBER), make_user(Role.PANEL_MEMBER)
    supervisor = make_user(Role.SUPERVISOR)
    case = decided_case(make_user, outcome=Outcome.CHANNEL)
    meeting = support.create_meeting(by=supervisor, meets_on=datetime.date(2027, 2, 1), title="Feb", members=[member])
    support.list_case(meeting, case=case, by=supervisor)
    support.list_case(meeting, case=case, by=supervisor)
    assert kinds(member) == [(K.PANEL_AGENDA, case.reference)]
    assert Notification.objects.get(recipient=member).link == reverse("cases:meeting", args=[meeting.pk])
    assert kinds(outsider) == []


def test_sharing_feedback_tells_the_referrer(make_user):
    partner = make_user(Role.REFERRER)
    case = decided_case(make_user, partner=partner)
    referral = case.referrals.get()
    services.share_feedback(referral, by=case.assigned_to, text="Support has started.")
    assert (K.REFERRAL_FEEDBACK, referral.reference) in kinds(partner)


def test_account_events_are_security_notices(make_user, django_capture_on_commit_callbacks):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(Role.REFERRER)
    with django_capture_on_commit_callbacks(execute=True):
        accounts.set_password(user, by=user, password="another long passphrase 42", how="changed")
        device = TOTPDevice.objects.create(user=user, name="New", confirmed=False)
        accounts.confirm_totp_device(device, by=user, token=totp_now(device))
    assert [kind for kind, _ in kinds(user)] == [K.MFA_DEVICE_ENROLLED, K.PASSWORD_CHANGED]
    assert sorted(message.subject for message in mail.outbox) == [
        "Prevent referrals: New two-factor authentication app set up",
        "Prevent referrals: Your password was changed",
    ]


def test_a_lockout_tells_the_account_owner_once(make_user, settings):
    user = make_user(Role.REFERRER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(reverse("accounts:sign_in"), {"email": user.email.upper(), "password": "wrong " + PASSWORD})
    assert kinds(user) == [(K.ACCOUNT_LOCKED, "")]
    client.post(reverse("accounts:sign_in"), {"email": "nobody@example.org", "password": "wrong"})
    assert Notification.objects.filter(kind=K.ACCOUNT_LOCKED).count() == 1
