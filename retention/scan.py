"""The nightly scan: find records whose retention review date has passed and queue them for review.

Built for a million closed cases: one pass walks the closed cases due under any outcome's rule in
primary-key order, `BATCH_SIZE` at a time (keyset, so memory stays bounded and a late batch costs what the
first did), and inserts the batch with one `bulk_create(ignore_conflicts=True)`. A record already queued
for the same closure is left out of the candidates, and the unique constraints on reviews refuse
duplicates, so running twice (or on two workers) adds nothing. Records under an active legal hold are
skipped.
"""

import operator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from audit.services import record
from cases.models import Case
from referrals.facts import age_on
from referrals.models import Referral
from retention.models import DRAFT, LegalHold, RetentionDecision, RetentionReview, RetentionRule

BATCH_SIZE = 2000
PERSON = "answers__the-person"
ADULT = 18
# Why a review was cancelled (the services say the same when they find it first).
REOPENED = "Case reopened since it was queued"
DRAFT_CHANGED = "Draft submitted or changed since it was queued"
GONE = "Record no longer held"


@dataclass
class ScanResult:
    queued: int = 0
    requeued: int = 0
    cancelled: int = 0
    held: int = 0


def age_at_referral(person: dict | None, on: date) -> int | None:
    """Return the youngest age the answers allow on the day of referral, or None if they say nothing.

    A year of birth alone counts as the younger of the two possible ages: a child's rule is not missed for
    want of a birthday.
    """
    person = person or {}
    age = age_on(person, on)
    if age is not None and person.get("dob_known") == "year":
        return max(age - 1, 0)
    return age


def is_under_18(person: dict | None, on: date) -> bool:
    age = age_at_referral(person, on)
    return age is not None and age < ADULT


def _cutoff(rule: RetentionRule, today: date) -> datetime:
    """Return the moment before which a record closed is due today at the latest (the shortest period)."""
    last_day = today - rule.delta(rule.shortest_period())
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def _under_18_by_case(case_ids) -> dict:
    """Return {case id: under 18 at its first referral} from one query over the batch's referrals."""
    rows = (
        Referral.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "submitted_at", "created_at")
        .values_list("case_id", "submitted_at", PERSON)
    )
    first = {}
    for case_id, submitted_at, person in rows:
        if case_id not in first:
            first[case_id] = is_under_18(person, timezone.localdate(submitted_at) if submitted_at else date.today())
    return first


def _batches(queryset, batch_size: int, *fields):
    """Yield lists of value tuples in primary-key order, one keyset page at a time."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list("pk", *fields)[:batch_size])
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _insert(reviews: list[RetentionReview]) -> int:
    RetentionReview.objects.bulk_create(reviews, ignore_conflicts=True)
    return len(reviews)


def _queue_cases(rules: list[RetentionRule], today: date, batch_size: int, result: ScanResult) -> None:
    """Walk the closed cases once for every outcome's rule (one pass, not one per rule), a batch at a time."""
    if not rules:
        return
    by_key = {rule.key: rule for rule in rules}
    cutoffs = [Q(outcome=rule.key, closed_at__lt=_cutoff(rule, today)) for rule in rules]
    reviewed = RetentionReview.objects.filter(case=OuterRef("pk"), closed_at=OuterRef("closed_at"))
    held = LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)
    due = Case.objects.filter(reduce(operator.or_, cutoffs), status=Case.Status.CLOSED).exclude(Exists(reviewed))
    # Driven from the few holds, not the million cases.
    result.held += LegalHold.objects.filter(lifted_at__isnull=True, case__in=due.values("pk")).count()
    with_child_periods = {rule.key for rule in rules if rule.under_18_period}
    for rows in _batches(due.exclude(Exists(held)), batch_size, "reference", "closed_at", "outcome"):
        needing_age = [row[0] for row in rows if row[3] in with_child_periods]
        ages = _under_18_by_case(needing_age) if needing_age else {}
        reviews = []
        for pk, reference, closed_at, outcome in rows:
            rule = by_key[outcome]
            under_18 = ages.get(pk, False)
            due_on = rule.due_on(timezone.localdate(closed_at), under_18=under_18)
            if due_on <= today:
                reviews.append(
                    RetentionReview(
                        kind=RetentionReview.Kind.CASE,
                        case_id=pk,
                        record_id=pk,
                        reference=reference,
                        rule_key=rule.key,
                        rule_code=rule.code(under_18=under_18),
                        under_18=under_18,
                        closed_at=closed_at,
                        due_on=due_on,
                    )
                )
        result.queued += _insert(reviews)


def _queue_drafts(rule: RetentionRule, today: date, batch_size: int, result: ScanResult) -> None:
    cutoff = _cutoff(rule, today)
    reviewed = RetentionReview.objects.filter(referral=OuterRef("pk"), closed_at=OuterRef("updated_at"))
    held = LegalHold.objects.filter(referral=OuterRef("pk"), lifted_at__isnull=True)
    due = Referral.objects.filter(status=Referral.Status.DRAFT, updated_at__lt=cutoff).exclude(Exists(reviewed))
    result.held += LegalHold.objects.filter(lifted_at__isnull=True, referral__in=due.values("pk")).count()
    for rows in _batches(due.exclude(Exists(held)), batch_size, "updated_at", PERSON):
        reviews = []
        for pk, updated_at, person in rows:
            touched = timezone.localdate(updated_at)
            under_18 = bool(rule.under_18_period) and is_under_18(person, touched)
            due_on = rule.due_on(touched, under_18=under_18)
            if due_on <= today:
                reviews.append(
                    RetentionReview(
                        kind=RetentionReview.Kind.REFERRAL,
                        referral_id=pk,
                        record_id=pk,
                        rule_key=rule.key,
                        rule_code=rule.code(under_18=under_18),
                        under_18=under_18,
                        closed_at=updated_at,
                        due_on=due_on,
                    )
                )
        result.queued += _insert(reviews)


def _requeue_kept(today: date, batch_size: int, result: ScanResult) -> None:
    """Queue again the records kept at an earlier review whose next review date has come."""
    still_closed = Q(kind=RetentionReview.Kind.CASE, case__status=Case.Status.CLOSED, case__closed_at=F("closed_at"))
    still_draft = Q(
        kind=RetentionReview.Kind.REFERRAL, referral__status=Referral.Status.DRAFT, referral__updated_at=F("closed_at")
    )
    next_one = RetentionReview.objects.filter(
        Q(case=OuterRef("case")) | Q(referral=OuterRef("referral")), due_on=OuterRef("next_review_on")
    )
    held = LegalHold.objects.filter(Q(case=OuterRef("case")) | Q(referral=OuterRef("referral")), lifted_at__isnull=True)
    due = (
        RetentionReview.objects.filter(state=RetentionReview.State.KEPT, next_review_on__lte=today)
        .filter(still_closed | still_draft)
        .exclude(Exists(next_one))
    )
    fields = [
        "kind",
        "case_id",
        "referral_id",
        "record_id",
        "reference",
        "rule_key",
        "rule_code",
        "under_18",
        "closed_at",
    ]
    for rows in _batches(due.exclude(Exists(held)), batch_size, "next_review_on", *fields):
        reviews = [RetentionReview(due_on=row[1], **dict(zip(fields, row[2:], strict=True))) for row in rows]
        count = _insert(reviews)
        result.queued += count
        result.requeued += count


def _cancel_stale(batch_size: int, result: ScanResult) -> None:
    """Cancel open reviews of records that were reopened, submitted, or removed since they were queued."""
    reasons = [
        (
            Q(kind=RetentionReview.Kind.CASE, case__isnull=False)
            & (~Q(case__status=Case.Status.CLOSED) | ~Q(case__closed_at=F("closed_at"))),
            REOPENED,
        ),
        (
            Q(kind=RetentionReview.Kind.REFERRAL, referral__isnull=False)
            & (~Q(referral__status=Referral.Status.DRAFT) | ~Q(referral__updated_at=F("closed_at"))),
            DRAFT_CHANGED,
        ),
        (Q(case__isnull=True, referral__isnull=True), GONE),
    ]
    for condition, reason in reasons:
        stale = RetentionReview.objects.filter(condition, state__in=RetentionReview.OPEN_STATES)
        for rows in _batches(stale, batch_size):
            result.cancelled += cancel_reviews([row[0] for row in rows], reason=reason)


@transaction.atomic
def cancel_reviews(ids: list[int], *, reason: str) -> int:
    """Cancel those of these reviews still open, each with a decision saying why; return how many."""
    # A supervisor may have decided one since the batch was read: lock first, and cancel only what is still open.
    still_open = list(
        RetentionReview.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, state__in=RetentionReview.OPEN_STATES)
        .values_list("pk", flat=True)
    )
    if not still_open:
        return 0
    now = timezone.now()
    RetentionReview.objects.filter(pk__in=still_open).update(
        state=RetentionReview.State.CANCELLED, requested_by=None, requested_at=None, updated_at=now
    )
    RetentionDecision.objects.bulk_create(
        [
            RetentionDecision(review_id=pk, action=RetentionDecision.Action.CANCELLED, at=now, reason=reason)
            for pk in still_open
        ]
    )
    return len(still_open)


def scan(*, today: date | None = None, batch_size: int = BATCH_SIZE) -> ScanResult:
    """Queue every record whose review date has passed; cancel reviews of records no longer closed."""
    today = today or timezone.localdate()
    result = ScanResult()
    _cancel_stale(batch_size, result)
    rules = list(RetentionRule.objects.order_by("id"))
    _queue_cases([rule for rule in rules if rule.key != DRAFT], today, batch_size, result)
    for rule in rules:
        if rule.key == DRAFT:
            _queue_drafts(rule, today, batch_size, result)
    _requeue_kept(today, batch_size, result)
    record(
        by=None,
        action="retention.scanned",
        queued=result.queued,
        requeued=result.requeued,
        cancelled=result.cancelled,
        held=result.held,
        today=today.isoformat(),
    )
    return result
