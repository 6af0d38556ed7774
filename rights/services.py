"""Rectification and restriction: atomic, permission-checked, audited (field names and ids, never values).

A rectification notifies every recipient the case was disclosed to (support providers given access, now or
before, and the members of panel meetings where it was listed), through the transactional outbox: the
notices and e-mail rows are written with the correction and the e-mails leave only after it commits.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases.models import AgendaItem, Case, CaseEvent, ProviderGrant
from referrals import matching
from referrals.models import PersonKey, Referral, ReferralLink
from rights import notices, permissions, selectors
from rights.models import CORRECTABLE, Rectification, Restriction
from rights.values import clean_value


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _event(case: Case, by: User, what: str) -> None:
    CaseEvent.objects.create(case=case, at=timezone.now(), by=by, what=what)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def rectify(case: Case, *, by: User, field: str, value: str, reason: str) -> Rectification:
    """Correct one thing held about the person or the case: the new value supersedes the old, recipients are told."""
    case = _locked(case)
    if not permissions.can_rectify(by, case):
        raise PermissionDenied
    if field not in CORRECTABLE:
        raise ValidationError({"field": "Select what you are correcting"})
    reason = _reason(reason, "Enter why the record is being corrected")
    try:
        value = clean_value(field, value)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None
    if value == selectors.current_value(case, field):
        raise ValidationError({"value": "This is the value already held: enter the corrected value"})
    rectification = Rectification.objects.create(
        case=case, field=field, value=value, reason=reason, rectified_by=by, rectified_at=timezone.now()
    )
    # Forms drawn before the correction carry the old version: their writes are refused, with what changed.
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    _event(case, by, f"Record corrected: {CORRECTABLE[field].label}")
    referral_ids = list(case.referrals.values_list("pk", flat=True))
    if CORRECTABLE[field].matching:
        _refresh_person_keys(case)
    recipients = _notify_recipients(case, by=by)
    record(
        by=by,
        action="record.rectified",
        target=case,
        field=field,
        rectification_id=str(rectification.pk),
        referral_ids=[str(pk) for pk in referral_ids],
        recipient_user_ids=sorted(user.pk for user in recipients),
    )
    return rectification


def _refresh_person_keys(case: Case) -> None:
    """Make the matching keys of the case's referrals follow the correction, and suggest any new repeat."""
    corrections = list(selectors.rectifications(case))
    referrals = list(case.referrals.exclude(status=Referral.Status.DRAFT))
    own = {referral.pk for referral in referrals}
    PersonKey.objects.filter(referral__in=referrals).delete()
    for referral in referrals:
        keys = matching.keys_for(selectors.police_answers(referral, corrections))
        PersonKey.objects.bulk_create(PersonKey(referral=referral, kind=kind, value=value) for kind, value in keys)
        suggestions = [match for match in matching.find_matches(referral, keys) if match["referral_id"] not in own]
        ReferralLink.objects.bulk_create(
            [
                ReferralLink(
                    referral=referral, earlier_id=match["referral_id"], score=match["score"], reasons=match["reasons"]
                )
                for match in suggestions
            ],
            ignore_conflicts=True,
        )


def disclosure_recipients(case: Case) -> dict[User, str]:
    """Return each active recipient the case was disclosed to, with the link their notice carries.

    Support providers ever given access (a past grant still disclosed the data) and the members of every
    panel meeting it was listed for. Not the referrers: the data came from them, they were not given it, and
    they keep seeing what they wrote; an officer may share feedback if their own records need correcting.
    """
    recipients: dict[User, str] = {}
    providers = User.objects.filter(
        is_active=True, pk__in=ProviderGrant.objects.filter(case=case).values("provider_id")
    ).order_by("pk")
    for provider in providers:
        recipients.setdefault(provider, reverse("cases:provided"))
    items = AgendaItem.objects.filter(case=case).select_related("meeting").prefetch_related("meeting__members")
    for item in items:
        for member in item.meeting.members.all():
            if member.is_active:
                recipients.setdefault(member, reverse("cases:meeting", args=[item.meeting_id]))
    return recipients


def _notify_recipients(case: Case, *, by: User) -> list[User]:
    links = {user: link for user, link in disclosure_recipients(case).items() if user.pk != by.pk}
    by_link: dict[str, list[User]] = {}
    for user, link in links.items():
        by_link.setdefault(link, []).append(user)
    for link, users in by_link.items():
        notices.record_rectified(case, users, link=link)
    return list(links)


@transaction.atomic
def restrict_record(case: Case, *, by: User, reason: str) -> Case:
    """Restrict processing of a case and its referrals: kept but not used, opened only by supervisors."""
    case = _locked(case)
    if not permissions.can_restrict(by, case):
        raise PermissionDenied
    reason = _reason(reason, "Enter why processing is being restricted")
    if case.restricted_at is not None:
        raise ValidationError("This case is already restricted.")
    now = timezone.now()
    Restriction.objects.create(case=case, reason=reason, restricted_by=by, restricted_at=now)
    case.restricted_at = now
    case.version += 1
    case.save(update_fields=["restricted_at", "version", "updated_at"])
    referral_ids = list(case.referrals.values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).update(restricted_at=now)
    _event(case, by, "Processing restricted: kept but not used")
    record(by=by, action="record.restricted", target=case, referral_ids=[str(pk) for pk in referral_ids])
    return case


@transaction.atomic
def lift_restriction(case: Case, *, by: User, reason: str) -> Case:
    """Lift a case's restriction: it returns to the queue and to those who may open it."""
    case = _locked(case)
    if not permissions.can_restrict(by, case):
        raise PermissionDenied
    reason = _reason(reason, "Enter why the restriction is being lifted")
    restriction = Restriction.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
    if case.restricted_at is None or restriction is None:
        raise ValidationError("This case is not restricted.")
    now = timezone.now()
    restriction.lifted_by, restriction.lifted_at, restriction.lift_reason = by, now, reason
    restriction.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    case.restricted_at = None
    case.version += 1
    case.save(update_fields=["restricted_at", "version", "updated_at"])
    referral_ids = list(case.referrals.values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).update(restricted_at=None)
    _event(case, by, "Restriction lifted")
    record(
        by=by,
        action="record.restriction_lifted",
        target=case,
        restriction_id=restriction.pk,
        referral_ids=[str(pk) for pk in referral_ids],
    )
    return case


@transaction.atomic
def rebuild_person_keys(*, batch_size: int = 500) -> int:
    """Make every sent referral's matching keys again from the answers the police hold (corrections in force).

    Run after a change to how keys are made (`referrals.matching.normalise`): `manage.py
    rebuild_person_keys`, or a migration through `replace_person_keys`. Only the keys change: no new repeat
    is suggested (a new referral or a search finds them). One audit event with the count, no names.
    """
    count = replace_person_keys(Referral, PersonKey, Rectification, batch_size=batch_size)
    record(by=None, action="person_keys.rebuilt", referrals=count)
    return count


def replace_person_keys(referral_model, key_model, rectification_model, *, batch_size: int = 500) -> int:
    """Replace the keys of every sent referral, with these models (a migration passes its historical ones)."""
    corrections: dict = defaultdict(list)
    for rectification in rectification_model.objects.order_by("case_id", "pk"):
        corrections[rectification.case_id].append(rectification)
    referrals = referral_model.objects.exclude(status="draft").only("pk", "answers", "case_id").order_by("pk")
    count, batch = 0, []
    for referral in referrals.iterator(chunk_size=batch_size):
        batch.append(referral)
        if len(batch) == batch_size:
            count += _replace_keys(key_model, batch, corrections)
            batch = []
    return count + _replace_keys(key_model, batch, corrections)


def _replace_keys(key_model, referrals: list, corrections: dict) -> int:
    key_model.objects.filter(referral__in=referrals).delete()
    key_model.objects.bulk_create(
        key_model(referral=referral, kind=kind, value=value)
        for referral in referrals
        for kind, value in matching.keys_for(selectors.corrected(referral.answers, corrections[referral.case_id]))
    )
    return len(referrals)
