"""Erasure: remove a person's data everywhere it lives and leave a tombstone that holds none of it.

Everywhere means: the case and every row hanging from it (decisions, assessments, checks, notes, the
chronology, agenda items, the support plan, consents, provider grants, progress notes, reviews,
break-glass grants), the cases merged into it (the same person), their referrals with the answers,
person keys (the search index), repeat-referral links and attachments (rows, and the files once the
transaction commits), advice requests only those referrals came from, django-guardian object
permissions on the erased records, the notices and outbox e-mails that point at them, the header's
cached unread counts, the access alerts about them (name matches deleted, others' details and review
notes blanked), and the old values django-auditlog's field-level history holds about them.

The audit trail (`audit_auditevent`) is not touched: it holds ids, so its chain still verifies. A
linked referral of another case is kept: only the link between the two goes.

Legal holds: settings.ERASURE_HOLD_CHECKS names the checks (dotted paths to callables taking the record
and returning True when a hold stops its erasure; today retention.selectors.is_held). Simpler than
importing the retention app here, which sits above privacy.
"""

import functools
import json
from collections.abc import Callable

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.module_loading import import_string
from guardian.models import GroupObjectPermission, UserObjectPermission

from audit.erasure import RULE, record_erasure
from audit.models import Alert
from audit.services import record
from cases.models import Case, CaseDocument
from core.references import new_reference
from notifications.models import Email, Notification
from notifications.selectors import unread_cache_key
from privacy import permissions, triggers
from privacy.models import ErasureInProgress, Tombstone
from privacy.triggers import ROOTS, erased_models  # noqa: F401  (their home is the trigger module; read here)
from referrals import attachments
from referrals.models import AdviceRequest, Attachment, Referral
from subject_access.services import forget_person_exports

# What a second person erasing the same record at the same moment is told, once the first has finished.
ALREADY_ERASED = "This record has already been erased."
# SQLite allows at most 999 parameters in a statement (older builds): look ids up in batches.
BATCH = 500


@transaction.atomic
def erase_case(case: Case, *, rule: str, requested_by, approved_by) -> Tombstone:
    """Erase a case, the cases merged into it and all their referrals; return the tombstone.

    A case merged into another is refused: erase the case it joined, which takes it along.
    """
    _check_people_and_rule(rule, requested_by, approved_by)
    case = Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    if case is None:
        raise ValidationError(ALREADY_ERASED)
    if case.merged_into_id is not None:
        raise ValidationError("This case was merged into another case: erase that case instead.")
    cases = _with_merged(case)
    referrals = list(Referral.objects.select_for_update(of=("self",)).filter(case__in=cases).order_by("pk"))
    _check_holds([*cases, *referrals])
    for erased in [*cases, *referrals]:
        record_erasure(by=approved_by, record=erased, rule=rule)
    return _erase(
        record_type=Tombstone.RecordType.CASE,
        top=case,
        received_at=case.received_at,
        closed_at=case.closed_at,
        # Merged cases go first: the case they joined is protected while they point at it.
        steps=[referrals, *[[merged] for merged in reversed(cases[1:])], [case]],
        referrals=referrals,
        rule=rule,
        requested_by=requested_by,
        approved_by=approved_by,
    )


@transaction.atomic
def erase_referral(referral: Referral, *, rule: str, requested_by, approved_by) -> Tombstone:
    """Erase a referral that belongs to no case (a draft, say); return the tombstone."""
    _check_people_and_rule(rule, requested_by, approved_by)
    referral = Referral.objects.select_for_update(of=("self",)).filter(pk=referral.pk).first()
    if referral is None:
        raise ValidationError(ALREADY_ERASED)
    if referral.case_id is not None:
        raise ValidationError("This referral belongs to a case: erase the case instead.")
    _check_holds([referral])
    record_erasure(by=approved_by, record=referral, rule=rule)
    return _erase(
        record_type=Tombstone.RecordType.REFERRAL,
        top=referral,
        received_at=referral.submitted_at or referral.created_at,
        closed_at=None,
        steps=[[referral]],
        referrals=[referral],
        rule=rule,
        requested_by=requested_by,
        approved_by=approved_by,
    )


def _check_people_and_rule(rule: str, requested_by, approved_by) -> None:
    if not RULE.fullmatch(rule or ""):
        raise ValidationError("The rule must be a retention rule's code.")
    if requested_by is None or approved_by is None:
        raise PermissionDenied
    if requested_by.pk == approved_by.pk:
        raise ValidationError("The person who approves an erasure must not be the person who asked for it.")
    if not permissions.can_request_erasure(requested_by) or not permissions.can_approve_erasure(approved_by):
        raise PermissionDenied


def hold_checks() -> list[Callable[[models.Model], bool]]:
    """Return the legal-hold checks named in settings.ERASURE_HOLD_CHECKS, imported."""
    return [import_string(path) for path in settings.ERASURE_HOLD_CHECKS]


def _check_holds(records: list[models.Model]) -> None:
    checks = hold_checks()
    for held in records:
        if any(check(held) for check in checks):
            raise ValidationError("A legal hold stops this erasure.")


def _with_merged(case: Case) -> list[Case]:
    """Return the case and every case merged into it, directly or not, locked; the case first."""
    found, frontier = [case], [case.pk]
    while frontier:
        merged = list(Case.objects.select_for_update(of=("self",)).filter(merged_into__in=frontier).order_by("pk"))
        found.extend(merged)
        frontier = [each.pk for each in merged]
    return found


def _erase(*, record_type, top, received_at, closed_at, steps, referrals, rule, requested_by, approved_by):
    # Deleting clears the instances' primary keys: keep the top record's now.
    top_id = top.pk
    referral_ids = [referral.pk for referral in referrals]
    stored_names = list(Attachment.objects.filter(referral__in=referral_ids).values_list("stored_name", flat=True))
    case_ids = [each.pk for step in steps for each in step if isinstance(each, Case)]
    document_names = list(CaseDocument.objects.filter(case__in=case_ids).values_list("stored_name", flat=True))
    # Advice a partner asked before these referrals, unless a referral that stays came from it too.
    advice = list(
        AdviceRequest.objects.filter(referrals__in=referral_ids)
        .exclude(referrals__in=Referral.objects.exclude(pk__in=referral_ids))
        .distinct()
    )
    references = {each.reference for step in steps for each in step if each.reference} | {a.reference for a in advice}
    for each in advice:
        record_erasure(by=approved_by, record=each, rule=rule)
    erased: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    with disable_auditlog():
        for step in [*steps[:1], advice, *steps[1:]]:
            _delete(step, erased, counts)
    ids = {pk for pks in erased.values() for pk in pks}
    recipients = _forget_notifications(references, ids, counts)
    counts["guardian object permissions"] = _forget_object_permissions(erased)
    counts["subject access exports"] = forget_person_exports(
        erased.get("cases.case", ()), erased.get("referrals.referral", ())
    )
    counts["attachment files"] = len(stored_names)
    if document_names:
        counts["case document files"] = len(document_names)
    stored_names += document_names
    counts.update(_forget_alerts(erased.get("cases.case", ())))
    history = _history_of(erased)
    counts["history entries redacted"] = len(history)
    tombstone = _write_tombstone(
        record_type=record_type,
        record_id=top_id,
        received_at=received_at,
        closed_at=closed_at,
        erased_at=timezone.now(),
        rule=rule,
        requested_by=requested_by,
        approved_by=approved_by,
        certificate_number=new_reference("DC", Tombstone, field="certificate_number"),
        erased_ids={label: sorted(pks) for label, pks in sorted(erased.items())},
        counts=dict(sorted(counts.items())),
    )
    _redact(history, tombstone)
    about_case = top_id if record_type == Tombstone.RecordType.CASE else None
    record(
        by=approved_by,
        action="history.redacted",
        target=tombstone,
        case=about_case,
        entries=len(history),
        record_type=record_type,
        record_id=str(top_id),
    )
    record(
        by=approved_by,
        action="tombstone.created",
        target=tombstone,
        case=about_case,
        requested_by_id=requested_by.pk,
        rule=rule,
    )
    transaction.on_commit(lambda: _after_commit(stored_names, recipients))
    return tombstone


def _delete(objects: list[models.Model], erased: dict, counts: dict) -> None:
    """Delete the objects and whatever cascades from them, noting every id that goes."""
    if not objects:
        return
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    for model, instances in collector.data.items():
        _note(model, [instance.pk for instance in instances], erased)
    for queryset in collector.fast_deletes:
        _note(queryset.model, list(queryset.values_list("pk", flat=True)), erased)
    for label, deleted in collector.delete()[1].items():
        counts[label.lower()] = counts.get(label.lower(), 0) + deleted


def _note(model, pks, erased: dict) -> None:
    if not pks:
        return
    if model._meta.label_lower not in _erasable_labels():
        # The database would refuse the tombstone: erased_models() no longer describes what the Collector deletes.
        raise RuntimeError(f"erasure deleted {model._meta.label_lower}, which erased_models() does not list")
    erased.setdefault(model._meta.label_lower, set()).update(str(pk) for pk in pks)


@functools.cache
def _erasable_labels() -> frozenset[str]:
    """The live models do not change while the process runs: walk their relations once."""
    return frozenset(model._meta.label_lower for model in erased_models())


def _forget_notifications(references: set[str], ids: set[str], counts: dict) -> set[int]:
    """Delete the notices and e-mails that point at the erased records; return whose unread count changed."""
    in_link, in_key = Q(pk__in=[]), Q(pk__in=[])
    for pk in ids:
        if len(pk) == 36:  # a UUID: the records links and reminder keys name
            in_link |= Q(link__contains=pk)
            in_key |= Q(key__contains=pk)
    pointing = Q(reference__in=references) | in_link
    notices = Notification.objects.filter(pointing | in_key)
    recipients = set(notices.filter(read_at__isnull=True).values_list("recipient_id", flat=True))
    counts["notifications.notification"] = notices.delete()[0]
    counts["notifications.email"] = Email.objects.filter(pointing).delete()[0]
    return recipients


def _forget_alerts(case_ids) -> dict[str, int]:
    """Delete the name-match alerts about the erased cases and blank what others say; keep who, what rule, when.

    A name-match alert says a user shares the person's name (its details name which parts); a review note is
    free text that may name them. The alert of another rule stays as a record that access was looked at.
    """
    about = Alert.objects.filter(case_id__in=list(case_ids))
    name_matches = about.filter(rule=Alert.Rule.NAME_MATCH).delete()[0]
    blanked = about.exclude(details={}, review_note="").update(details={}, review_note="")
    return {"name-match alerts": name_matches, "alerts blanked": blanked}


def _forget_object_permissions(erased: dict) -> int:
    deleted = 0
    for label, pks in erased.items():
        content_type = ContentType.objects.get_by_natural_key(*label.split("."))
        for batch in _batches(sorted(pks)):
            for model in (UserObjectPermission, GroupObjectPermission):
                deleted += model.objects.filter(content_type=content_type, object_pk__in=batch).delete()[0]
    return deleted


def _history_of(erased: dict) -> list[LogEntry]:
    entries = []
    for label, pks in erased.items():
        content_type = ContentType.objects.get_by_natural_key(*label.split("."))
        for batch in _batches(sorted(pks)):
            entries.extend(LogEntry.objects.filter(content_type=content_type, object_pk__in=batch).order_by("pk"))
    return entries


def _write_tombstone(**fields) -> Tombstone:
    """Write the tombstone through the one path the database allows (PostgreSQL), or the ORM (SQLite)."""
    if connection.vendor != "postgresql":
        return Tombstone.objects.create(**fields)
    # The application's role may not INSERT tombstones: the migration's function checks, then writes.
    with connection.cursor() as cursor:
        cursor.execute(
            triggers.WRITE_TOMBSTONE_CALL,
            [
                fields["record_type"],
                str(fields["record_id"]),
                fields["received_at"],
                fields["closed_at"],
                fields["erased_at"],
                fields["rule"],
                fields["requested_by"].pk,
                fields["approved_by"].pk,
                fields["certificate_number"],
                json.dumps(fields["erased_ids"]),
                json.dumps(fields["counts"]),
            ],
        )
        pk = cursor.fetchone()[0]
    return Tombstone.objects.get(pk=pk)


def _redact(entries: list[LogEntry], tombstone: Tombstone) -> None:
    """Blank the old values in the history of the erased records, through the one path the database allows."""
    if not entries:
        return
    if connection.vendor == "postgresql":
        # The application's role may not UPDATE the history table: the migration's function does it for an erasure.
        with connection.cursor() as cursor:
            cursor.execute(triggers.REDACT_CALL, [tombstone.pk, [entry.pk for entry in entries]])
            if cursor.fetchone()[0] != len(entries):
                raise RuntimeError("history redaction did not reach every entry")
        return
    for entry in entries:
        changes = json.loads(entry.changes) if isinstance(entry.changes, str) else entry.changes
        entry.changes = {field: [triggers.REDACTED] * 2 for field in changes} if isinstance(changes, dict) else None
        entry.object_repr = triggers.REDACTED
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
    marker = ErasureInProgress.objects.create(tombstone=tombstone)
    LogEntry.objects.bulk_update(entries, triggers.REDACTABLE_COLUMNS, batch_size=200)
    marker.delete()


def _batches(items: list) -> list[list]:
    return [items[start : start + BATCH] for start in range(0, len(items), BATCH)]


def _after_commit(stored_names: list[str], recipients: set[int]) -> None:
    for name in stored_names:
        attachments.remove(name)
    if recipients:
        cache.delete_many([unread_cache_key(user_id) for user_id in recipients])
