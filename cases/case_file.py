"""Case files: the record of a case file going outside the Prevent team (a disclosure, with its purpose)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases import lifecycle, permissions
from cases.models import PANEL_PURPOSES, Case, CaseFileDisclosure

NOTE_MAX_LENGTH = 1000


@transaction.atomic
def disclose_case_file(case: Case, *, by: User, purpose: str, note: str) -> CaseFileDisclosure:
    """Record that a case file is downloaded for a purpose and recipient, before a byte of it is sent."""
    if not permissions.can_download_case_file(by, case):
        raise PermissionDenied
    note = note.strip()
    errors = {}
    if purpose not in CaseFileDisclosure.Purpose.values:
        errors["purpose"] = "Select who the case file is for"
    if not note:
        errors["note"] = "Enter who will receive the case file and why"
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    disclosure = CaseFileDisclosure.objects.create(
        case=case, purpose=purpose, note=note, downloaded_by=by, downloaded_at=timezone.now()
    )
    label = disclosure.get_purpose_display()
    lifecycle.add_event(case, by, f"Case file downloaded: {label}")
    # The trail keeps the purpose and the record's id, never the note: it may name the person, and the trail
    # outlives an erased case. The note stays on the disclosure record, which goes with the case.
    record(
        by=by,
        action="case.file_disclosed",
        target=case,
        reason=label,
        purpose=purpose,
        disclosure_id=disclosure.pk,
        version="panel" if purpose in PANEL_PURPOSES else "police",
    )
    return disclosure
