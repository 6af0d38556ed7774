"""Every read of subject access requests, and of the records a request may cover, starts here."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case
from referrals.models import Referral, ReferralLink
from subject_access import permissions
from subject_access.models import SubjectAccessRequest

# Repeat-referral links are followed this many steps out from the referrals the search found.
LINK_DEPTH = 5


def visible_requests(user) -> QuerySet[SubjectAccessRequest]:
    """Return the requests this user may open: every one for those who handle subject access, else none."""
    if not permissions.can_handle_subject_access(user):
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.select_related("requested_by")


def request_list(user) -> QuerySet[SubjectAccessRequest]:
    """Return the requests for the list page: open ones first by due date, then released ones newest first."""
    return visible_requests(user).order_by("released_at", "due_on", "id")


def linked_referral_ids(found_ids) -> list:
    """Return the referrals found plus those joined to them: confirmed repeat links, the same case, merged cases."""
    ids = set(found_ids)
    for _ in range(LINK_DEPTH):
        confirmed = ReferralLink.objects.filter(status=ReferralLink.Status.CONFIRMED)
        linked = set(confirmed.filter(referral_id__in=ids).values_list("earlier_id", flat=True))
        linked |= set(confirmed.filter(earlier_id__in=ids).values_list("referral_id", flat=True))
        case_ids = Referral.objects.filter(pk__in=ids).exclude(case=None).values("case_id")
        linked |= set(Referral.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
        if linked <= ids:
            break
        ids |= linked
    return sorted(ids, key=str)


def candidates(request: SubjectAccessRequest) -> QuerySet[Referral]:
    """Return the referrals offered for the supervisor to confirm as this person's, oldest first."""
    return (
        Referral.objects.filter(pk__in=request.candidate_referral_ids)
        .exclude(status=Referral.Status.DRAFT)
        .select_related("case", "organisation")
        .order_by("submitted_at")
    )


def cases_of(referral_ids) -> list:
    """Return the ids of the cases these referrals joined, and of cases merged into them."""
    case_ids = set(Referral.objects.filter(pk__in=referral_ids).exclude(case=None).values_list("case_id", flat=True))
    merged = set(Case.objects.filter(merged_into__in=case_ids).values_list("pk", flat=True))
    return sorted(case_ids | merged, key=str)


def is_overdue(request: SubjectAccessRequest, today: date | None = None) -> bool:
    return request.is_open and request.due_on < (today or timezone.localdate())


def is_stuck(request: SubjectAccessRequest) -> bool:
    """A generation that has outlived the task time limit: its worker died, and it may be started again."""
    if request.status not in (request.Status.QUEUED, request.Status.GENERATING):
        return False
    started = request.generation_started_at
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return started is None or started < timezone.now() - limit


def requests_touching(case_ids, referral_ids) -> list[SubjectAccessRequest]:
    """Return the requests that cover any of these cases or referrals (ids kept as text in JSON lists)."""
    wanted = {str(pk) for pk in case_ids} | {str(pk) for pk in referral_ids}
    if not wanted:
        return []
    found = []
    rows = SubjectAccessRequest.objects.only("pk", "case_ids", "referral_ids", "candidate_referral_ids")
    for request in rows.iterator():
        ids = set(request.case_ids) | set(request.referral_ids) | set(request.candidate_referral_ids)
        if ids & wanted:
            found.append(request)
    return found


def expired_exports(now=None) -> QuerySet[SubjectAccessRequest]:
    """Return released requests whose files have been kept their number of days."""
    now = now or timezone.now()
    keep = timedelta(days=settings.SUBJECT_ACCESS_KEEP_DAYS)
    return SubjectAccessRequest.objects.filter(
        Q(released_at__lt=now - keep), exports_deleted_at__isnull=True, status=SubjectAccessRequest.Status.RELEASED
    )
