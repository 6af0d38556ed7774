"""Deadlines and reviews from Celery beat (or `manage.py send_reminders`): told once a day, never twice."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from audit.models import Alert
from cases import break_glass, services
from notifications.models import Email, Notification
from notifications.reminders import send_reminders
from tests.cases.support_factories import decided_case
from tests.referrals.factories import make_referral

K = Notification.Kind
DAY = datetime.timedelta(days=1)


def notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("reference", "key"))


def test_an_assessment_due_soon_then_overdue_reminds_the_officer_once_a_day(make_user):
    case = make_referral(make_user(Role.REFERRER)).case
    officer = make_user(Role.PREVENT_OFFICER)
    services.assign(case, to=officer, by=officer)
    due_soon = case.assessment_due - DAY
    send_reminders(today=due_soon)
    send_reminders(today=due_soon)
    key = f"assessment_due:{case.reference}:{case.assessment_due}"
    assert notices(officer, K.ASSESSMENT_DUE) == [(case.reference, key)]
    send_reminders(today=due_soon + DAY)  # still due soon: told once already
    assert len(notices(officer, K.ASSESSMENT_DUE)) == 1

    late = case.assessment_due + DAY
    send_reminders(today=late)
    send_reminders(today=late)
    send_reminders(today=late + DAY)
    assert len(notices(officer, K.ASSESSMENT_OVERDUE)) == 2
    assert Email.objects.filter(recipient=officer, kind=K.ASSESSMENT_OVERDUE).count() == 2


def test_an_unassigned_assessment_reminds_the_triage_team(make_user):
    officer, supervisor = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    partner = make_user(Role.REFERRER)
    case = make_referral(partner).case
    send_reminders(today=case.assessment_due + DAY)
    assert notices(officer, K.ASSESSMENT_OVERDUE) == notices(supervisor, K.ASSESSMENT_OVERDUE) != []
    assert notices(partner, K.ASSESSMENT_OVERDUE) == []


def test_a_restricted_case_is_not_chased_until_the_restriction_is_lifted(make_user):
    from rights import services as rights

    officer, supervisor = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    case = make_referral(make_user(Role.REFERRER)).case
    rights.restrict_record(case, by=supervisor, reason="The person asked for restriction.")
    send_reminders(today=case.assessment_due + DAY)
    assert notices(officer, K.ASSESSMENT_OVERDUE) == []
    rights.lift_restriction(case, by=supervisor, reason="Accuracy confirmed.")
    send_reminders(today=case.assessment_due + DAY)
    assert notices(officer, K.ASSESSMENT_OVERDUE) != []


def test_an_assessed_case_is_not_chased(make_user):
    case = decided_case(make_user)
    send_reminders(today=case.assessment_due + DAY)
    assert not Notification.objects.filter(kind__in=[K.ASSESSMENT_DUE, K.ASSESSMENT_OVERDUE]).exists()


def test_a_review_due_reminds_the_cases_officer(make_user):
    case = decided_case(make_user)
    officer, supervisor = case.assigned_to, make_user(Role.SUPERVISOR)
    case = services.move(case, by=officer, action="propose_closure")
    services.sign_off_closure(case, by=supervisor, approve=True, expected_version=None)
    review = case.reviews.order_by("due_on").first()
    send_reminders(today=review.due_on - datetime.timedelta(days=30))
    assert notices(officer, K.REVIEW_DUE) == []
    send_reminders(today=review.due_on - DAY)
    send_reminders(today=review.due_on - DAY)
    assert notices(officer, K.REVIEW_DUE) == [(case.reference, f"review_due:{review.pk}:{review.due_on}")]


def test_supervisors_hear_daily_of_alerts_and_break_glass_waiting_for_review(make_user):
    supervisor, officer = make_user(Role.SUPERVISOR), make_user(Role.PREVENT_OFFICER)
    owner, reader = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    case = services.assign(make_referral(make_user(Role.REFERRER)).case, to=owner, by=owner)
    break_glass.open_with_reason(case, by=reader, reason_code="covering", reason="Covering a colleague.")
    Alert.objects.create(rule=Alert.Rule.OUT_OF_HOURS, user=officer, key="day", raised_at=timezone.now())
    today = timezone.localdate()
    send_reminders(today=today)
    send_reminders(today=today)
    assert notices(supervisor, K.ALERTS_WAITING) == [("1 to review", f"alerts:{today}")]
    assert notices(supervisor, K.BREAK_GLASS_WAITING) == [("1 to review", f"break_glass:{today}")]
    assert notices(officer, K.ALERTS_WAITING) == []
    send_reminders(today=today + DAY)
    assert len(notices(supervisor, K.ALERTS_WAITING)) == 2


def test_the_command_sends_reminders_digests_and_waiting_emails(
    make_user, time_machine, django_capture_on_commit_callbacks
):
    case = make_referral(make_user(Role.REFERRER)).case
    officer = make_user(Role.PREVENT_OFFICER)
    services.assign(case, to=officer, by=officer)
    time_machine.move_to(datetime.datetime.combine(case.assessment_due + DAY, datetime.time(8), tzinfo=datetime.UTC))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=StringIO())
    assert out.getvalue().startswith("Left 1 reminders")
    overdue = [message for message in mail.outbox if message.subject.endswith(f"Assessment overdue ({case.reference})")]
    assert [message.to for message in overdue] == [[officer.email]]


def test_beat_schedules_for_the_drain_reminders_and_digests_exist_after_migrate(db):
    from django_celery_beat.models import PeriodicTask

    from config.celery import app

    tasks = dict(PeriodicTask.objects.filter(task__startswith="notifications.").values_list("task", "enabled"))
    assert tasks == {
        "notifications.tasks.drain_outbox": True,
        "notifications.tasks.send_reminders": True,
        "notifications.tasks.send_digests": True,
    }
    assert PeriodicTask.objects.get(task="notifications.tasks.drain_outbox").interval.every == 1
    app.loader.import_default_modules()
    assert set(tasks) <= set(app.tasks)
