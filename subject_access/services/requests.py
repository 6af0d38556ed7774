"""A request's writes: recording it, confirming its records, withholding, release and downloads."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from core.references import new_reference
from subject_access import export, permissions, selectors
from subject_access.models import Exemption, SubjectAccessRequest, Withholding
from subject_access.services.common import locked, require_handler
from subject_access.services.generation import snapshot

S = SubjectAccessRequest.Status


def due_date(received_on):
    """Return the date an answer is due: one calendar month after receipt (31 January -> 28 or 29 February)."""
    return received_on + relativedelta(months=1)


@transaction.atomic
def start_request(*, by: User, received_on, note: str, terms_hash: str, found_referral_ids) -> SubjectAccessRequest:
    """Record a person's request and the referrals that may be about them (the search's and those linked)."""
    require_handler(by)
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
def confirm_records(request: SubjectAccessRequest, *, by: User, referral_ids) -> SubjectAccessRequest:
    """Record which of the referrals offered are this person's; their cases (and cases merged in) follow."""
    require_handler(by)
    request = locked(request)
    if not permissions.can_confirm_records(by, request):
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
def withhold(
    request: SubjectAccessRequest, *, by: User, item_key: str, field: str, exemption: str, note: str
) -> Withholding:
    """Withhold an item, or one field of it, from what the person is given, under an exemption."""
    require_handler(by)
    request = locked(request)
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
def remove_withholding(withholding: Withholding, *, by: User) -> SubjectAccessRequest:
    """Give back to the person an item (or field) withheld by mistake."""
    require_handler(by)
    request = locked(withholding.request)
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
def release(request: SubjectAccessRequest, *, by: User) -> SubjectAccessRequest:
    """Record that the export, as generated with its withholdings, was given to the person."""
    require_handler(by)
    request = locked(request)
    if not permissions.can_release(by, request):
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


def record_download(request: SubjectAccessRequest, *, by: User) -> None:
    """Audit a download of the person's bundle."""
    require_handler(by)
    record(by=by, action="subject_access.downloaded", target=request, status=request.status)
