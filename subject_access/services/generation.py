"""Generating the export: queued as a task, read with progress, written as files; safe to run twice."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases.models import Case
from referrals.models import Referral
from subject_access import bundle, export, notices, permissions, selectors
from subject_access.models import SubjectAccessRequest
from subject_access.services.common import locked, require_handler

logger = logging.getLogger(__name__)
S = SubjectAccessRequest.Status
GENERATABLE = permissions.GENERATABLE


@transaction.atomic
def request_generation(request: SubjectAccessRequest, *, by: User) -> SubjectAccessRequest:
    """Queue the export's generation as a background task (given the request's id only)."""
    from subject_access import tasks

    require_handler(by)
    request = locked(request)
    if not permissions.can_generate(by, request, stuck=selectors.is_stuck(request)):
        raise ValidationError("This export cannot be generated now.")
    request.status = S.QUEUED
    request.progress_done = request.progress_total = 0
    request.generation_started_at = timezone.now()
    request.save(update_fields=["status", "progress_done", "progress_total", "generation_started_at"])
    record(by=by, action="subject_access.generation_started", target=request)
    transaction.on_commit(lambda: tasks.generate_export.delay(request_id=str(request.pk)))
    return request


def _progress(request_id, done: int, total: int | None = None) -> None:
    values = {"progress_done": done} if total is None else {"progress_done": done, "progress_total": total}
    SubjectAccessRequest.objects.filter(pk=request_id).update(**values)


def withheld_map(request: SubjectAccessRequest) -> dict[str, set[str]]:
    """What is withheld: {item key: {"" for the whole item, or field labels}}."""
    withheld: dict[str, set[str]] = {}
    for item_key, field in request.withholdings.values_list("item_key", "field"):
        withheld.setdefault(item_key, set()).add(field)
    return withheld


def run_generation(request_id) -> SubjectAccessRequest | None:
    """Read everything held, write the internal copy and the person's bundle; safe to run twice.

    Runs outside a transaction so that progress is seen as it goes; only a queued request is taken up.
    """
    with transaction.atomic():
        request = SubjectAccessRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.status != S.QUEUED:
            return None
        request.status = S.GENERATING
        request.generation_started_at = timezone.now()
        request.save(update_fields=["status", "generation_started_at"])
    folder = ""
    try:
        records = export.count(request.referral_ids, request.case_ids)
        _progress(request.pk, 0, records + 1)
        data = export.collect(request, progress=lambda done: _progress(request.pk, done))
        items = export.items_of(data)
        files = sum(len(item["files"]) for item in items.values())
        total = records + 1 + files
        _progress(request.pk, records, total)
        folder = bundle.new_folder()
        bundle.write_internal(folder, data)
        written = iter(range(records + 1, total + 1))
        person = export.redact(data, withheld_map(request))
        bundle.write_bundle(folder, person, progress=lambda: _progress(request.pk, next(written, total)))
    except Exception as error:
        bundle.remove(folder)
        logger.warning("Subject access generation %s failed: %s", request.pk, type(error).__name__)
        return _finish(request, folder="", failed=type(error).__name__)
    return _finish(request, folder=folder, items=len(items), total=total)


# Why a generation failed when records it covers were erased while it ran (an audit detail, never content).
RECORDS_ERASED = "records_erased"


def _records_gone(request: SubjectAccessRequest) -> bool:
    """Say whether any confirmed case or referral no longer exists (erased while the export was generated)."""
    case_ids, referral_ids = set(request.case_ids), set(request.referral_ids)
    cases_found = Case.objects.filter(pk__in=case_ids).count()
    referrals_found = Referral.objects.filter(pk__in=referral_ids).count()
    return cases_found != len(case_ids) or referrals_found != len(referral_ids)


@transaction.atomic
def _finish(request, *, folder: str, failed: str = "", items: int = 0, total: int = 0) -> SubjectAccessRequest:
    # The lock waits for an erasure that holds this row (forget_person_exports) to commit; the check below then
    # sees its deletions, so an export read while it ran is thrown away instead of outliving it.
    request = locked(request)
    if not failed and _records_gone(request):
        bundle.remove(folder)
        failed = RECORDS_ERASED
    if failed:
        request.status = S.FAILED
        request.save(update_fields=["status"])
        record(by=None, action="subject_access.generation_failed", target=request, error=failed)
        return request
    previous = request.export_folder
    request.status = S.READY
    request.export_folder = folder
    request.generated_at = timezone.now()
    request.progress_done = request.progress_total = total
    request.exports_deleted_at = None
    request.save(
        update_fields=[
            "status",
            "export_folder",
            "generated_at",
            "progress_done",
            "progress_total",
            "exports_deleted_at",
        ]
    )
    record(
        by=None,
        action="subject_access.generated",
        target=request,
        items=items,
        withheld=request.withholdings.count(),
        requested_by_id=request.requested_by_id,
    )
    transaction.on_commit(lambda: bundle.remove(previous))
    notices.export_ready(request)
    return request


def snapshot(request: SubjectAccessRequest) -> dict | None:
    """Return the internal copy of what was found at the last generation (withheld items included)."""
    if not request.export_folder or request.exports_deleted_at is not None:
        return None
    return bundle.read_internal(request.export_folder)
