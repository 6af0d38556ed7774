"""Deadlines and reviews, found once a day and told to whoever must act.

Each reminder carries a key; the same key never notifies the same user twice, so running the task
twice (or on two workers) sends nothing more. "Due soon" keys name the due date (told once); "overdue"
keys name today (told once a day until it is done).

A source is a function of today's date yielding Reminders. Retention reviews (from the retention issue)
join as one more source in SOURCES, with a kind of their own in Notification.Kind.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification

K = Notification.Kind


@dataclass(frozen=True)
class Reminder:
    kind: str
    recipients: list
    reference: str
    link: str
    key: str


def _officer_or_team(case, team) -> list:
    """Return the case's officer while active, else the Prevent team (`team()`, cached: read once per run)."""
    if case.assigned_to is not None and case.assigned_to.is_active:
        return [case.assigned_to]
    return team()


def assessment_reminders(today: date):
    """Assessments due within a few working days, or overdue: the case's officer, or the team if unassigned."""
    from cases.models import Case
    from cases.services import working_days_after

    soon = working_days_after(today, settings.NOTIFICATION_ASSESSMENT_WARNING_WORKING_DAYS)
    cases = (
        Case.objects.filter(
            status__in=[Case.Status.NEW, Case.Status.GATHERING, Case.Status.ASSESSMENT],
            assessment_due__lte=soon,
            assessments__isnull=True,
            restricted_at__isnull=True,  # kept but not used: no reminders until the restriction is lifted
        )
        .select_related("assigned_to")
        .only("pk", "reference", "assessment_due", "assigned_to__id", "assigned_to__is_active")
    )
    team = functools.cache(services.prevent_team)
    for case in cases:
        recipients = _officer_or_team(case, team)
        overdue = case.assessment_due < today
        kind = K.ASSESSMENT_OVERDUE if overdue else K.ASSESSMENT_DUE
        when = today if overdue else case.assessment_due
        link = reverse("cases:detail", args=[case.pk])
        yield Reminder(kind, recipients, case.reference, link, f"{kind}:{case.reference}:{when.isoformat()}")


def review_reminders(today: date):
    """6, 12 (and 24) month reviews due within NOTIFICATION_REVIEW_NOTICE_DAYS, or overdue: the case's officer."""
    from cases.models import Review

    horizon = today + timedelta(days=settings.NOTIFICATION_REVIEW_NOTICE_DAYS)
    # A restricted case is kept but not used (a data-subject right): no reminders until it is lifted.
    reviews = Review.objects.filter(
        done_at__isnull=True, due_on__lte=horizon, case__restricted_at__isnull=True
    ).select_related("case__assigned_to")
    team = functools.cache(services.prevent_team)
    for review in reviews:
        case = review.case
        recipients = _officer_or_team(case, team)
        when = today if review.due_on < today else review.due_on
        link = reverse("cases:review", args=[case.pk, review.pk])
        yield Reminder(K.REVIEW_DUE, recipients, case.reference, link, f"review_due:{review.pk}:{when.isoformat()}")


def oversight_reminders(today: date):
    """Tell supervisors, once a day, how many access alerts and break-glass accesses wait for their review."""
    from audit.models import Alert
    from cases.models import BreakGlass

    reviewers = functools.cache(services.audit_reviewers)
    alerts = Alert.objects.filter(reviewed_at__isnull=True).count()
    if alerts:
        yield Reminder(
            K.ALERTS_WAITING, reviewers(), f"{alerts} to review", reverse("audit:alerts"), f"alerts:{today.isoformat()}"
        )
    waiting = BreakGlass.objects.filter(reviewed_at__isnull=True).count()
    if waiting:
        yield Reminder(
            K.BREAK_GLASS_WAITING,
            reviewers(),
            f"{waiting} to review",
            reverse("cases:break_glass_queue"),
            f"break_glass:{today.isoformat()}",
        )


def retention_reminders(today: date):
    """Tell the retention reviewers, once a day, how many records wait for a retention decision."""
    from retention.reminders import reviews_waiting

    yield from reviews_waiting(today)


SOURCES = [assessment_reminders, review_reminders, oversight_reminders, retention_reminders]


def send_reminders(today: date | None = None) -> int:
    """Notify everyone of what falls due; return how many notices were left. Idempotent per day."""
    today = today or timezone.localdate()
    sent = 0
    for source in SOURCES:
        for reminder in source(today):
            try:
                with transaction.atomic():
                    sent += services.notify(
                        reminder.recipients,
                        kind=reminder.kind,
                        reference=reminder.reference,
                        link=reminder.link,
                        key=reminder.key,
                    )
            except IntegrityError:
                # Another run left the same reminder at the same moment: it is sent once, by that run.
                continue
    return sent
