"""Case deadlines and reviews, found once a day (sources of notifications.reminders, named in
settings.NOTIFICATION_REMINDER_SOURCES)."""

import functools
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from cases.models import Case, Review
from core.calendar import working_days_after
from notifications import services
from notifications.models import Notification
from notifications.reminders import Reminder

K = Notification.Kind


def _officer_or_team(case, team) -> list:
    """Return the case's officer while active, else the Prevent team (`team()`, cached: read once per run)."""
    if case.assigned_to is not None and case.assigned_to.is_active:
        return [case.assigned_to]
    return team()


def assessment_reminders(today: date):
    """Assessments due within a few working days, or overdue: the case's officer, or the team if unassigned."""
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
