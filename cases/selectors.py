"""Every read of cases starts here."""

from datetime import date

from django.db.models import Q, QuerySet

from cases import permissions
from cases.models import Case


def queue(user) -> QuerySet[Case]:
    """Return the cases in the police queue: every live case's triage facts, for police roles only."""
    if not permissions.can_work_cases(user):
        return Case.objects.none()
    return Case.objects.exclude(status=Case.Status.MERGED).select_related("assigned_to", "concern_type")


def openable_cases(user) -> QuerySet[Case]:
    """Return the cases this user may open in full (need to know)."""
    cases = Case.objects.select_related("assigned_to", "concern_type")
    if permissions.can_supervise(user):
        return cases
    if permissions.can_work_cases(user):
        return cases.filter(Q(assigned_to=user) | Q(status=Case.Status.NEW, assigned_to__isnull=True))
    return cases.none()


def overdue(case: Case, today: date) -> bool:
    return case.status in (Case.Status.NEW, Case.Status.GATHERING, Case.Status.ASSESSMENT) and (
        case.assessment_due < today
    )


def provider_cases(user) -> QuerySet[Case]:
    """Return the cases shared with this provider by an unrevoked grant (a join, not guardian's generic scan)."""
    return (
        Case.objects.filter(grants__provider=user, grants__revoked_at__isnull=True)
        .exclude(status__in=[Case.Status.MERGED, Case.Status.CLOSED])
        .distinct()
    )
