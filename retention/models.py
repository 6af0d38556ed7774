from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Outcome

DRAFT = "draft"
# What a rule applies to: each police outcome, and referrals never submitted.
RULE_KEYS = [*Outcome.choices, (DRAFT, "Draft referral, never submitted")]


class RetentionRule(models.Model):
    """How long after closure (or a draft's last change) a record waits before its retention review."""

    class Unit(models.TextChoices):
        DAYS = "days", "Days"
        MONTHS = "months", "Months"
        YEARS = "years", "Years"

    key = models.CharField(max_length=32, unique=True, choices=RULE_KEYS)
    period = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=8, choices=Unit.choices)
    # Empty: people under 18 at referral follow the same period as adults.
    under_18_period = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        permissions = [("manage_retention_rules", "Change the retention periods")]
        constraints = [
            models.CheckConstraint(condition=Q(period__gte=1), name="retention_rule_period_positive"),
            models.CheckConstraint(
                condition=Q(under_18_period__isnull=True) | Q(under_18_period__gte=1),
                name="retention_rule_under_18_positive",
            ),
        ]

    def __str__(self):
        return self.get_key_display()

    def period_for(self, under_18: bool) -> int:
        return self.under_18_period if under_18 and self.under_18_period else self.period

    def shortest_period(self) -> int:
        return min(self.period, self.under_18_period or self.period)

    def delta(self, amount: int) -> relativedelta:
        return relativedelta(**{self.unit: amount})

    def due_on(self, start: date, *, under_18: bool) -> date:
        """Return the review date of a record closed (or last touched) on `start`."""
        return start + self.delta(self.period_for(under_18))

    def code(self, *, under_18: bool) -> str:
        """Return the rule's code as the erasure log records it: "nfa-3-years", "channel-under-18-8-years"."""
        amount = self.period_for(under_18)
        unit = self.unit if amount != 1 else self.unit.rstrip("s")
        child = "-under-18" if under_18 and self.under_18_period else ""
        return f"{self.key.replace('_', '-')}{child}-{amount}-{unit}"


class RetentionReview(models.Model):
    """One record due for a retention decision: keep it (until a next review) or erase it, with a second approval.

    A record has one review per due date; at most one is open (waiting, or erasure requested) at a time.
    Once erased, the record's link is gone and the review keeps only its reference, dates and decisions.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        KEPT = "kept", "Kept"
        ERASURE_REQUESTED = "erasure_requested", "Erasure awaiting approval"
        ERASED = "erased", "Erased"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        CASE = "case", "Case"
        REFERRAL = "referral", "Draft referral"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="retention_reviews"
    )
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="retention_reviews"
    )
    # The record's id outlives it (as in the audit trail and the erasure tombstone); the links above do not.
    record_id = models.UUIDField(db_index=True)
    # The service reference (PC-/PR-), for reading the queue; blanked when the record is erased, because
    # partners' letters quote it beside the person's name. Drafts have none.
    reference = models.CharField(max_length=16, blank=True)
    rule_key = models.CharField(max_length=32, choices=RULE_KEYS)
    rule_code = models.CharField(max_length=64)
    under_18 = models.BooleanField(default=False)
    # When the record was closed (a draft: last changed): a record closed again later starts a new cycle.
    closed_at = models.DateTimeField()
    due_on = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    next_review_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    OPEN_STATES = [State.WAITING, State.ERASURE_REQUESTED]

    class Meta:
        ordering = ["due_on", "id"]
        permissions = [("review_retention", "Review records for retention, keep or erase them, set legal holds")]
        indexes = [
            models.Index(fields=["state", "due_on", "id"]),
            models.Index(fields=["case", "closed_at"]),
            models.Index(fields=["referral", "closed_at"]),
            models.Index(fields=["state", "next_review_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(referral__isnull=True), name="retention_review_one_record"
            ),
            models.UniqueConstraint(
                fields=["case", "due_on"], condition=Q(case__isnull=False), name="retention_review_case_due_once"
            ),
            models.UniqueConstraint(
                fields=["referral", "due_on"],
                condition=Q(referral__isnull=False),
                name="retention_review_referral_due_once",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(case__isnull=False, state__in=["waiting", "erasure_requested"]),
                name="retention_review_case_one_open",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(referral__isnull=False, state__in=["waiting", "erasure_requested"]),
                name="retention_review_referral_one_open",
            ),
        ]

    def __str__(self):
        return f"Retention review {self.pk}"

    @property
    def record(self):
        return self.case if self.kind == self.Kind.CASE else self.referral

    @property
    def label(self) -> str:
        if self.state == self.State.ERASED:
            return "Erased record"
        return self.reference or "Draft referral"


class RetentionDecision(models.Model):
    """One decision on a retention review: who, when, why, and the next review date when kept."""

    class Action(models.TextChoices):
        KEPT = "kept", "Kept"
        ERASURE_REQUESTED = "erasure_requested", "Erasure requested"
        ERASURE_APPROVED = "erasure_approved", "Erasure approved: erased"
        ERASURE_REJECTED = "erasure_rejected", "Erasure not approved"
        CANCELLED = "cancelled", "Review cancelled"

    review = models.ForeignKey(RetentionReview, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=20, choices=Action.choices)
    # None: no one decided (a review cancelled because its record was reopened or changed since it was queued).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.review_id})"


class LegalHold(models.Model):
    """A record that must be neither reviewed nor erased (litigation, an inquiry, an investigation) until lifted."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="legal_holds")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="legal_holds"
    )
    # Blanked when the record is erased (see RetentionReview.reference).
    reference = models.CharField(max_length=16, blank=True)
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(referral__isnull=True), name="legal_hold_one_record"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False, lifted_at__isnull=True), name="legal_hold_case_once"
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(referral__isnull=False, lifted_at__isnull=True),
                name="legal_hold_referral_once",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="legal_hold_lift_complete",
            ),
        ]

    def __str__(self):
        return f"Legal hold {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
