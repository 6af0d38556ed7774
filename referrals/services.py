"""Every write to referrals: atomic, permission-checked, audited in the same transaction."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from core.references import new_reference
from referrals import attachments, matching, notices, permissions, sections
from referrals.facts import reporting_facts
from referrals.forms import ConcernTypeForm
from referrals.models import Attachment, ConcernType, PersonKey, Referral, ReferralLink


class DraftGone(PermissionDenied):
    """The draft was deleted or sent meanwhile (another tab, the nightly clean-up): views answer 404."""


def _locked_draft(referral: Referral, by: User) -> Referral:
    """Lock the draft; one deleted or sent meanwhile (another tab, the nightly clean-up) is not found."""
    locked = Referral.objects.select_for_update().filter(pk=referral.pk, status=Referral.Status.DRAFT).first()
    if locked is None:
        raise DraftGone
    if not permissions.can_edit_draft(by, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def start_referral(
    *, by: User, organisation=None, channel=Referral.Channel.FORM, advice_request=None, prefill: dict | None = None
) -> Referral:
    """Open a draft: a partner's own, or an officer's record of a referral received by phone, email or from the public.

    `prefill` maps section slugs to what those pages start with (a public contact's concern, say).
    """
    if permissions.can_submit_referrals(by):
        organisation, channel, entered_by_police = by.organisation, Referral.Channel.FORM, False
    elif permissions.can_enter_for_partners(by) and organisation is not None and channel != Referral.Channel.FORM:
        entered_by_police = True
    else:
        raise PermissionDenied
    answers = {}
    if not entered_by_police:
        answers["about-you"] = {"name": by.full_name, "organisation": organisation.name, "email": by.email}
    if advice_request is not None:
        answers["concerns"] = {"concerns": advice_request.messages.filter(from_police=False).first().body}
    answers.update(prefill or {})
    referral = Referral.objects.create(
        author=by,
        organisation=organisation,
        channel=channel,
        entered_by_police=entered_by_police,
        answers={"_prefill": answers} if answers else {},
        advice_request=advice_request,
    )
    record(by=by, action="referral.draft_started", target=referral, channel=channel, organisation_id=organisation.pk)
    return referral


def prefill(referral: Referral, slug: str) -> dict:
    """Return what a page starts with: the saved answers, else what we already knew."""
    return referral.answers.get(slug) or referral.answers.get("_prefill", {}).get(slug, {})


@transaction.atomic
def save_section(referral: Referral, *, by: User, slug: str, data: dict) -> Referral:
    """Store one page's answers on the draft, as given."""
    referral = _locked_draft(referral, by)
    section = sections.BY_SLUG[slug]
    referral.answers[slug] = section.form.to_json(data)
    referral.save(update_fields=["answers", "updated_at"])
    record(by=by, action="referral.draft_saved", target=referral, section=slug)
    return referral


@transaction.atomic
def add_item(referral: Referral, *, by: User, slug: str, data: dict) -> Referral:
    """Add one household member or agency to a repeatable section."""
    referral = _locked_draft(referral, by)
    section = sections.BY_SLUG[slug]
    referral.answers[slug] = [*referral.answers.get(slug, []), section.form.to_json(data)]
    referral.save(update_fields=["answers", "updated_at"])
    record(by=by, action="referral.draft_saved", target=referral, section=slug, added=True)
    return referral


def fingerprint(item: dict) -> str:
    """Identify one added item by its content, so a stale page can never remove a different one."""
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:16]


@transaction.atomic
def remove_item(referral: Referral, *, by: User, slug: str, index: int, item_fingerprint: str) -> Referral:
    """Remove one item from a repeatable section, if it is still the item the user saw."""
    referral = _locked_draft(referral, by)
    items = list(referral.answers.get(slug, []))
    if not 0 <= index < len(items) or fingerprint(items[index]) != item_fingerprint:
        raise ValidationError("That item had already been removed or changed. Check the list and try again.")
    del items[index]
    referral.answers[slug] = items
    referral.save(update_fields=["answers", "updated_at"])
    record(by=by, action="referral.draft_saved", target=referral, section=slug, removed=True)
    return referral


def add_attachments(referral: Referral, *, by: User, files) -> list[Attachment]:
    """Check, scan and store each file; refuse the lot with a message per file if any is refused."""
    if not permissions.can_edit_draft(by, referral):
        raise PermissionDenied
    errors, checked = [], []
    # Type checks and virus scans can be slow: do them before taking the draft's lock.
    for upload in files:
        try:
            content_type, clean = attachments.check_and_scan(upload)
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            checked.append((upload, content_type, clean))
    stored_names = []
    try:
        with transaction.atomic():
            referral = _locked_draft(referral, by)
            room = settings.ATTACHMENT_MAX_COUNT - referral.attachments.count()
            if not errors and len(checked) > room:
                errors.append(
                    f"You can add up to {settings.ATTACHMENT_MAX_COUNT} files. You have room for {max(room, 0)} more."
                )
            if errors:
                record(by=by, action="attachment.refused", target=referral, count=len(errors))
                created = None
            else:
                created = []
                for upload, content_type, clean in checked:
                    stored_name, sha256 = attachments.store(upload)
                    stored_names.append(stored_name)
                    attachment = Attachment.objects.create(
                        referral=referral,
                        original_name=(upload.name or "file")[:255],
                        stored_name=stored_name,
                        content_type=content_type,
                        size=upload.size,
                        sha256=sha256,
                        scan=Attachment.Scan.CLEAN if clean else Attachment.Scan.NOT_SCANNED,
                        uploaded_by=by,
                    )
                    record(by=by, action="attachment.added", target=attachment, referral_id=str(referral.pk))
                    created.append(attachment)
                referral.save(update_fields=["updated_at"])  # an upload keeps the draft alive
    except BaseException:
        for name in stored_names:  # nothing on disk without its row
            attachments.remove(name)
        raise
    if created is None:
        raise ValidationError(errors)
    return created


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by: User) -> None:
    """Remove a file from a draft, from the database and from disk."""
    referral = _locked_draft(attachment.referral, by)
    referral.save(update_fields=["updated_at"])
    stored_name = attachment.stored_name
    record(by=by, action="attachment.removed", target=attachment, referral_id=str(attachment.referral_id))
    attachment.delete()
    transaction.on_commit(lambda: attachments.remove(stored_name))


def _erase_draft(referral: Referral, *, by: User | None, action: str, **details) -> None:
    stored_names = list(referral.attachments.values_list("stored_name", flat=True))
    record(by=by, action=action, target=referral, attachments=len(stored_names), **details)
    referral.delete()

    def remove_files() -> None:
        for name in stored_names:
            attachments.remove(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def delete_draft(referral: Referral, *, by: User) -> None:
    """Delete a draft and its files; the audit event keeps only its id."""
    referral = _locked_draft(referral, by)
    _erase_draft(referral, by=by, action="referral.draft_deleted")


def delete_stale_drafts(*, batch_size: int = 500) -> int:
    """Delete drafts untouched for DRAFT_MAX_AGE_DAYS, in batches; safe to run twice."""
    cutoff = timezone.now() - timedelta(days=settings.DRAFT_MAX_AGE_DAYS)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                Referral.objects.select_for_update(skip_locked=True)
                .filter(status=Referral.Status.DRAFT, updated_at__lt=cutoff)
                .order_by("updated_at")[:batch_size]
            )
            for referral in batch:
                _erase_draft(
                    referral, by=None, action="referral.draft_expired", max_age_days=settings.DRAFT_MAX_AGE_DAYS
                )
        deleted += len(batch)
        if len(batch) < batch_size:
            return deleted


def _concern_type(answers: dict) -> ConcernType | None:
    code = answers.get("type-of-concern", {}).get("concern_type")
    if code in (None, ConcernTypeForm.NOT_SURE):
        return None
    today = timezone.localdate()
    return ConcernType.objects.filter(code=code, valid_from__lte=today).exclude(valid_to__lt=today).first()


def receive_referral(referral: Referral, *, by: User) -> Referral:
    """First half of submitting a complete draft (cases.intake.submit_referral): check it, give it a reference.

    Call inside a transaction; the case is opened next, then `link_repeats_and_announce`.
    """
    referral = _locked_draft(referral, by)
    missing = sections.missing_sections(referral.answers)
    if missing:
        raise ValidationError([f"Complete the section '{section.title}'" for section in missing])
    referral.answers.pop("_prefill", None)
    referral.status = Referral.Status.RECEIVED
    referral.submitted_at = timezone.now()
    referral.concern_type = _concern_type(referral.answers)
    referral.age_band, referral.gender = reporting_facts(referral.answers, referral.submitted_at)
    referral.reference = new_reference("PR", Referral)
    referral.save()
    return referral


def link_repeats_and_announce(referral: Referral, *, by: User) -> Referral:
    """Second half of submitting (after its case is opened): link possible repeats, audit, tell the team."""
    keys = matching.keys_for(referral.answers)
    PersonKey.objects.bulk_create(PersonKey(referral=referral, kind=kind, value=value) for kind, value in keys)
    matches = matching.find_matches(referral, keys)
    ReferralLink.objects.bulk_create(
        ReferralLink(referral=referral, earlier_id=match["referral_id"], score=match["score"], reasons=match["reasons"])
        for match in matches
    )
    record(
        by=by,
        action="referral.submitted",
        target=referral,
        form_version=referral.form_version,
        possible_repeats=len(matches),
        attachments=referral.attachments.count(),
    )
    notices.referral_submitted(referral, by=by)
    return referral
