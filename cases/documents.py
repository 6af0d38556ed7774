"""Documents officers add to a case: checked, scanned and stored like referral attachments (referrals.attachments).

Removal deletes the row and the file: a document added by mistake (the wrong person's letter, say) must not be
kept. The audit trail keeps the document's id, size and hash, never its title or name (they may name the
person); erasing the case erases its documents and their files (privacy/erasure.py).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import record
from cases import lifecycle, permissions
from cases.models import Case, CaseDocument
from core.notes import NOTE_MAX_LENGTH, bounded
from referrals import attachments

TITLE_MAX_LENGTH = 200


def add_document(case: Case, *, by: User, upload, title: str, description: str = "") -> CaseDocument:
    """Check, scan and store an officer's document on the case; refuse it with a message by the field."""
    if not permissions.can_add_document(by, case):
        raise PermissionDenied
    title = bounded(title, field="title", limit=TITLE_MAX_LENGTH, what="The title", required_message="Enter a title")
    description = bounded(description, field="description", limit=NOTE_MAX_LENGTH, what="The description")
    try:
        # Type checks and virus scans can be slow: before taking the case's lock.
        content_type, clean = attachments.check_and_scan(upload)
    except ValidationError as error:
        with transaction.atomic():
            record(by=by, action="case.document_refused", target=case, count=len(error.messages))
        raise ValidationError({"file": error.messages}) from None
    stored_name = None
    try:
        with transaction.atomic():
            case = lifecycle.lock(case, None)
            if not permissions.can_add_document(by, case):
                raise PermissionDenied
            stored_name, sha256 = attachments.store(upload)
            document = CaseDocument.objects.create(
                case=case,
                title=title,
                description=description,
                original_name=(upload.name or "file")[:255],
                stored_name=stored_name,
                content_type=content_type,
                size=upload.size,
                sha256=sha256,
                scan=CaseDocument.Scan.CLEAN if clean else CaseDocument.Scan.NOT_SCANNED,
                uploaded_by=by,
            )
            lifecycle.add_event(case, by, "Document added")
            record(by=by, action="case.document_added", target=document, case=case, size=document.size)
    except BaseException:
        if stored_name:  # nothing on disk without its row
            attachments.remove(stored_name)
        raise
    return document


@transaction.atomic
def remove_document(document: CaseDocument, *, by: User) -> None:
    """Remove a document from the case, its row and its file (once committed)."""
    case = lifecycle.lock(document.case, None)
    document = CaseDocument.objects.select_for_update().filter(pk=document.pk).select_related("case").first()
    if document is None:
        return  # removed meanwhile (another tab): nothing left to do
    if not permissions.can_remove_document(by, document):
        raise PermissionDenied
    stored_name = document.stored_name
    lifecycle.add_event(case, by, "Document removed")
    record(by=by, action="case.document_removed", target=document, case=case, sha256=document.sha256)
    document.delete()
    transaction.on_commit(lambda: attachments.remove(stored_name))
