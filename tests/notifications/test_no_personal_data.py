"""Every kind of message, for a case about a person with a distinctive name: the name is in no e-mail or task."""

import datetime
import json

from celery.signals import before_task_publish
from django.core import mail
from django.utils import timezone

from accounts import changes as account_changes
from accounts import notices as account_notices
from accounts import services as accounts
from accounts.models import Role
from audit.models import Alert
from cases import break_glass, cover, services, support
from cases import notices as case_notices
from cases.models import Case, Consent, Outcome
from front_door import services as public_contacts
from notifications import outbox, reminders
from notifications.models import Email, Notification
from notifications.services import save_preferences
from referrals import advice
from retention import scan as retention_scan
from retention import services as retention
from retention.models import RetentionReview
from rights import services as rights
from subject_access import services as subject_access
from tests.cases.support_factories import ANSWERS
from tests.notifications.conftest import celery_broker
from tests.referrals.factories import make_referral

SURNAME, FORENAMES = "Quorndon-Vexley", "Zebediah"


def decided(case, *, officer, supervisor, outcome):
    case = services.assign(case, to=officer, by=supervisor)
    case = services.move(case, by=officer, action="start_gathering")
    case = services.move(case, by=officer, action="start_assessment")
    rationale = f"{FORENAMES} is at risk."
    services.record_assessment(case, by=officer, answers=ANSWERS, rationale=rationale, expected_version=None)
    services.record_decision(
        Case.objects.get(pk=case.pk), by=officer, outcome=outcome, rationale=f"About {SURNAME}.", expected_version=None
    )
    services.sign_off_decision(Case.objects.get(pk=case.pk), by=supervisor, approve=True, expected_version=None)
    return Case.objects.get(pk=case.pk)


def every_kind_of_event(make_user):
    partner = make_user(Role.REFERRER)
    officer, supervisor = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    provider, panel_member = make_user(Role.SUPPORT_PROVIDER), make_user(Role.PANEL_MEMBER)
    digest_user = make_user(Role.PREVENT_OFFICER)
    save_preferences(by=digest_user, emails_off=[], daily_digest=True)

    person = {"surname": SURNAME, "forenames": FORENAMES, "aliases": f"{FORENAMES} {SURNAME}"}
    referral = make_referral(partner, **person)  # referral_submitted, referral_received
    question = advice.ask_advice(by=partner, question=f"Worried about {FORENAMES} {SURNAME}.")  # advice_requested
    advice.reply(question, by=officer, body=f"Tell us more about {SURNAME}.")  # advice_replied
    public_contacts.receive_contact(
        challenge_passed=True, relationship="family", concern=f"My cousin {FORENAMES} worries me.", person_name=SURNAME
    )  # public_contact
    case = decided(referral.case, officer=officer, supervisor=supervisor, outcome=Outcome.POLICE_LED)
    services.share_feedback(referral, by=officer, text=f"{FORENAMES} {SURNAME} is getting support.")
    support.record_consent(case, by=officer, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PARENT, under_18=True)
    grant = support.grant_provider(case, by=officer, provider=provider, sections=["support_plan"])
    support.revoke_provider(grant, by=officer)
    channel = make_referral(partner, **person).case
    channel = decided(channel, officer=officer, supervisor=supervisor, outcome=Outcome.CHANNEL)
    meets_on = datetime.date(2027, 1, 5)
    meeting = support.create_meeting(by=supervisor, meets_on=meets_on, title="Panel", members=[panel_member])
    support.list_case(meeting, case=channel, by=officer)
    rights.rectify(  # record_rectified: to the panel member the case was disclosed to
        channel, by=supervisor, field="surname", value=f"{SURNAME}-Vexley", reason=f"{FORENAMES} asked for it."
    )
    services.move(case, by=officer, action="propose_closure")
    services.sign_off_closure(Case.objects.get(pk=case.pk), by=supervisor, approve=True, expected_version=None)

    unassessed = make_referral(partner, **person).case
    break_glass.open_with_reason(
        Case.objects.get(pk=case.pk), by=make_user(Role.PREVENT_OFFICER), reason_code="other", reason=f"{SURNAME}"
    )
    Alert.objects.create(
        rule=Alert.Rule.NAME_MATCH, user=officer, key=SURNAME, raised_at=timezone.now(), details={"name": SURNAME}
    )
    today = timezone.localdate()
    # retention_review_due (in the reminders below), then erasure_approval_requested: to the other supervisor
    retention_scan.scan(today=today + datetime.timedelta(days=7 * 366))
    retention.request_erasure(
        RetentionReview.objects.get(case=case), by=make_user(Role.SUPERVISOR), reason=f"{FORENAMES} {SURNAME}: past it."
    )
    reminders.send_reminders(today=unassessed.assessment_due - datetime.timedelta(days=1))  # due soon
    reminders.send_reminders(today=unassessed.assessment_due + datetime.timedelta(days=30))  # overdue
    reminders.send_reminders(today=today + datetime.timedelta(days=200))  # 6-month review
    sar = subject_access.start_request(
        by=supervisor, received_on=today, note="", terms_hash="0" * 32, found_referral_ids=[referral.pk]
    )
    sar = subject_access.confirm_records(sar, by=supervisor, referral_ids=[referral.pk])
    subject_access.request_generation(sar, by=supervisor)
    subject_access.run_generation(sar.pk)  # subject_access_ready (what the worker does with the published task)
    account_notices.device_enrolled(officer)
    account_notices.password_changed(officer)
    account_notices.locked_out("axes", username=officer.email)
    case_notices.case_assigned(unassessed, to=digest_user, by=supervisor)
    absent = cover.set_cover(
        officer, colleague=covering_officer(make_user), starts_on=today, ends_on=today, by=officer
    )  # cover_set
    cover.end_cover(absent, by=officer)  # cover_ended
    account_events(make_user, officer=officer, partner=partner, provider=provider)
    outbox.send_digests()


def covering_officer(make_user):
    """An officer who covers a colleague (and is e-mailed each notice, with no digest)."""
    return make_user(Role.PREVENT_OFFICER)


def account_events(make_user, *, officer, partner, provider):
    """Account changes an administrator asks for and a supervisor decides; e-mail changes and two-factor resets."""
    admin, approver = make_user(Role.SYSTEM_ADMIN), make_user(Role.SUPERVISOR)
    recruit = accounts.create_user(  # account_change_requested
        by=admin,
        email="new.starter@police.example",
        full_name="New Starter",
        organisation=officer.organisation,
        roles=[Role.PREVENT_OFFICER],
        reason="Joins the team on Monday.",
    )
    account_changes.approve(recruit.change_requests.get(), by=approver)  # account_change_approved

    def new_address(user, email):
        fields = {"full_name": user.full_name, "organisation": user.organisation, "roles": user.role_names}
        return accounts.update_user(user, by=admin, email=email, is_active=True, reason="Moved mailbox.", **fields)

    new_address(officer, "officer.elsewhere@police.example")
    account_changes.refuse(officer.change_requests.get(), by=approver, note="Not asked for.")  # account_change_refused
    new_address(partner, "partner.new@school.example")  # email_changed: not a police account, so at once
    accounts.reset_mfa(provider, by=admin)  # mfa_reset


def test_no_email_or_task_payload_carries_the_persons_name(make_user, django_capture_on_commit_callbacks):
    published = []

    def capture(sender=None, body=None, headers=None, **kwargs):
        published.append(json.dumps({"task": sender, "body": body, "headers": headers}, default=str))

    before_task_publish.connect(capture, weak=False)
    try:
        with celery_broker("memory://"), django_capture_on_commit_callbacks(execute=True):
            every_kind_of_event(make_user)
    finally:
        before_task_publish.disconnect(capture)
    outbox.drain()  # send what was published to the in-memory broker, as a worker would

    assert set(Notification.objects.values_list("kind", flat=True)) == set(Notification.Kind.values)
    kinds_emailed = set(Email.objects.filter(status=Email.Status.SENT).values_list("kind", flat=True))
    assert kinds_emailed == set(Notification.Kind.values) | {"digest"}
    sends = [payload for payload in published if "notifications.tasks.send_email" in payload]
    assert len(sends) >= len(Notification.Kind.values) and all('"email_id"' in payload for payload in sends)
    assert len(mail.outbox) == Email.objects.filter(status=Email.Status.SENT).count()
    for text in [message.message().as_string() for message in mail.outbox] + published:
        for name in (SURNAME, FORENAMES, SURNAME.lower(), FORENAMES.upper()):
            assert name.lower() not in text.lower()
