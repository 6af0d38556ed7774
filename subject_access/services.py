"""Every write to subject access requests: atomic, permission-checked, audited.

A request moves: confirming (records found, awaiting the supervisor's choice) -> confirmed -> queued ->
generating (a Celery task, progress on the row) -> ready (files written) -> released. Changing what is
withheld after generation makes the files stale: they must be generated again before release.
"""

import logging
import uuid

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from cases.models import Case
from notifications.models import Notification
from notifications.services import notify
from referrals.models import Referral
from subject_access import bundle, export, permissions, selectors
from subject_access.models import Exemption, SubjectAccessRequest, Withholding

logger = logging.getLogger(__name__)
S = SubjectAccessRequest.Status
# States from which generation may be (re)started.
GENERATABLE = (S.CONFIRMED, S.READY, S.STALE, S.FAILED)


def due_date(received_on):
    """Return the date an answer is due: one calendar month after receipt (31 January -> 28 or 29 February)."""
    return received_on + relativedelta(months=1)


def _check(by) -> None:
    if not permissions.can_handle_subject_access(by):
        raise PermissionDenied


def _locked(request: SubjectAccessRequest) -> SubjectAccessRequest:
    return SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def start_request(*, by, received_on, note: str, terms_hash: str, found_referral_ids) -> SubjectAccessRequest:
    """Record a person's request and the referrals that may be about them (the search's and those linked)."""
    from referrals.services import new_reference

    _check(by)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date the request was received must be today or in the past"})
    candidates = [str(pk) for pk in selectors.linked_referral_ids(found_referral_ids)]
    request = SubjectAccessRequest.objects.create(
        reference=new_reference("SA", SubjectAccessRequest),
        received_on=received_on,
        due_on=due_date(received_on),
        requested_by=by,
        requested_at=timezone.now(),
        note=note,
        terms_hash=terms_hash,
        candidate_referral_ids=candidates,
    )
    record(
        by=by,
        action="subject_access.requested",
        target=request,
        terms_hash=terms_hash,
        due_on=request.due_on.isoformat(),
        ids=candidates,
    )
    return request


@transaction.atomic
def confirm_records(request: SubjectAccessRequest, *, by, referral_ids) -> SubjectAccessRequest:
    """Record which of the referrals offered are this person's; their cases (and cases merged in) follow."""
    _check(by)
    request = _locked(request)
    if request.status not in (S.CONFIRMING, S.CONFIRMED):
        raise ValidationError("The records cannot be changed once the export has been generated.")
    chosen = sorted({str(pk) for pk in referral_ids})
    if not chosen:
        raise ValidationError({"referrals": "Select the referrals about this person"})
    if not set(chosen) <= set(request.candidate_referral_ids):
        raise ValidationError({"referrals": "Select from the referrals listed"})
    request.referral_ids = chosen
    request.case_ids = [str(pk) for pk in selectors.cases_of(chosen)]
    request.status = S.CONFIRMED
    request.confirmed_by, request.confirmed_at = by, timezone.now()
    request.save(update_fields=["referral_ids", "case_ids", "status", "confirmed_by", "confirmed_at"])
    record(
        by=by,
        action="subject_access.records_confirmed",
        target=request,
        ids=request.referral_ids,
        case_ids=request.case_ids,
    )
    return request


@transaction.atomic
def request_generation(request: SubjectAccessRequest, *, by) -> SubjectAccessRequest:
    """Queue the export's generation as a background task (given the request's id only)."""
    from subject_access import tasks

    _check(by)
    request = _locked(request)
    if request.status not in GENERATABLE and not selectors.is_stuck(request):
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
    request = _locked(request)
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
    notify(
        [request.requested_by],
        kind=Notification.Kind.SUBJECT_ACCESS_READY,
        reference=request.reference,
        link=reverse("subject_access:detail", args=[request.pk]),
    )
    return request


def snapshot(request: SubjectAccessRequest) -> dict | None:
    """Return the internal copy of what was found at the last generation (withheld items included)."""
    if not request.export_folder or request.exports_deleted_at is not None:
        return None
    return bundle.read_internal(request.export_folder)


@transaction.atomic
def withhold(request: SubjectAccessRequest, *, by, item_key: str, field: str, exemption: str, note: str) -> Withholding:
    """Withhold an item, or one field of it, from what the person is given, under an exemption."""
    _check(by)
    request = _locked(request)
    if request.status not in (S.READY, S.STALE):
        raise ValidationError("Generate the export before withholding anything.")
    item = export.items_of(snapshot(request) or {"sections": []}).get(item_key)
    if item is None:
        raise ValidationError("That item is not in this export.")
    if field and field not in [entry["label"] for entry in item["fields"]]:
        raise ValidationError({"scope": "Select the whole item or one of its fields"})
    if exemption not in Exemption.values:
        raise ValidationError({"exemption": "Select the exemption that applies"})
    withholding, _ = Withholding.objects.update_or_create(
        request=request,
        item_key=item_key,
        field=field,
        defaults={"exemption": exemption, "note": note, "withheld_by": by, "withheld_at": timezone.now()},
    )
    _mark_stale(request)
    record(
        by=by,
        action="subject_access.exemption_applied",
        target=request,
        item_key=item_key,
        whole_item=not field,
        exemption=exemption,
    )
    return withholding


@transaction.atomic
def remove_withholding(withholding: Withholding, *, by) -> SubjectAccessRequest:
    """Give back to the person an item (or field) withheld by mistake."""
    _check(by)
    request = _locked(withholding.request)
    if request.status not in (S.READY, S.STALE):
        raise ValidationError("Withholding cannot be changed after release.")
    item_key, exemption = withholding.item_key, withholding.exemption
    withholding.delete()
    _mark_stale(request)
    record(by=by, action="subject_access.exemption_removed", target=request, item_key=item_key, exemption=exemption)
    return request


def _mark_stale(request: SubjectAccessRequest) -> None:
    if request.status == S.READY:
        request.status = S.STALE
        request.save(update_fields=["status"])


@transaction.atomic
def release(request: SubjectAccessRequest, *, by) -> SubjectAccessRequest:
    """Record that the export, as generated with its withholdings, was given to the person."""
    _check(by)
    request = _locked(request)
    if request.status != S.READY:
        raise ValidationError("Only an export generated after the last change to what is withheld can be released.")
    request.status = S.RELEASED
    request.released_by, request.released_at = by, timezone.now()
    request.save(update_fields=["status", "released_by", "released_at"])
    record(
        by=by,
        action="subject_access.released",
        target=request,
        withheld=request.withholdings.count(),
        late=request.released_at.date() > request.due_on,
    )
    return request


def record_download(request: SubjectAccessRequest, *, by) -> None:
    """Audit a download of the person's bundle."""
    _check(by)
    record(by=by, action="subject_access.downloaded", target=request, status=request.status)


def _delete_files(request: SubjectAccessRequest, *, why: str) -> None:
    request = _locked(request)
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
