"""Deleting exports: after their keeping period, and when the person's records are erased."""

import uuid

from django.db import transaction
from django.utils import timezone

from audit.services import record
from subject_access import bundle, selectors
from subject_access.models import SubjectAccessRequest, Withholding
from subject_access.services.common import locked


def _delete_files(request: SubjectAccessRequest, *, why: str) -> None:
    request = locked(request)
    if request.exports_deleted_at is not None and not request.export_folder:
        return
    bundle.remove(request.export_folder)
    request.export_folder = ""
    request.exports_deleted_at = timezone.now()
    request.save(update_fields=["export_folder", "exports_deleted_at"])
    record(by=None, action="subject_access.exports_deleted", target=request, why=why)


@transaction.atomic
def delete_expired_exports() -> int:
    """Delete the files of requests released more than SUBJECT_ACCESS_KEEP_DAYS ago; return how many."""
    expired = list(selectors.expired_exports())
    for request in expired:
        _delete_files(request, why="kept_days_passed")
    return len(expired)


@transaction.atomic
def forget_person_exports(case_ids, referral_ids) -> int:
    """Delete the exports covering these cases or referrals and the words that may name the person (for erasure).

    The request, its dates, ids and exemption codes stay: they record that a request was answered and how.
    Return the number of requests touched.
    """
    touching = selectors.requests_touching(
        [uuid.UUID(str(pk)) for pk in case_ids], [uuid.UUID(str(pk)) for pk in referral_ids]
    )
    # Locked in one order, before any is changed: a generation finishing now waits, then sees the records gone.
    requests = list(
        SubjectAccessRequest.objects.select_for_update().filter(pk__in=[each.pk for each in touching]).order_by("pk")
    )
    for request in requests:
        _delete_files(request, why="erasure")
        SubjectAccessRequest.objects.filter(pk=request.pk).update(note="")
        Withholding.objects.filter(request=request).update(note="")
    return len(requests)
