import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models


class Case(models.Model):
    """The Prevent team's work about one person, opened from a referral; later referrals join it."""

    class Status(models.TextChoices):
        NEW = "new", "New, awaiting triage"
        GATHERING = "gathering", "Information gathering"
        ASSESSMENT = "assessment", "Assessment"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Decision awaiting sign-off"
        CHANNEL = "channel", "Referred to Channel"
        SUPPORT = "support", "Support"
        CLOSURE_PENDING = "closure_pending", "Closure awaiting sign-off"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged into another case"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # What triage needs, copied from the first referral so the queue never reads referral answers.
    received_at = models.DateTimeField()
    sector = models.CharField(max_length=32)
    concern_type = models.ForeignKey(
        "referrals.ConcernType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment_due = models.DateField()
    referral_count = models.PositiveIntegerField(default=1)
    outcome = models.CharField(max_length=32, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Raised on every change: a form sends the version it showed, so nobody overwrites unseen work.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment_due", "id"]
        indexes = [
            models.Index(fields=["status", "assessment_due", "id"]),
            models.Index(fields=["assessment_due", "id"]),
            models.Index(fields=["received_at", "id"]),
            models.Index(fields=["assigned_to", "assessment_due", "id"]),
        ]
        permissions = [
            ("work_cases", "Triage, assess and decide cases"),
            ("supervise_cases", "Open every case, assign work and sign off decisions"),
        ]

    def __str__(self):
        return self.reference


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: tuple
    target: str
    # "worker": the assigned officer or a supervisor; "supervisor": a supervisor only;
    # "triage": anyone in the team who may open the case (new cases are open to the whole team).
    who: str = "worker"


S = Case.Status
# Every move a case can make, and who may make it. Anything else is refused with a clear message.
TRANSITIONS = [
    Transition("start_gathering", "Start information gathering", (S.NEW,), S.GATHERING),
    Transition("start_assessment", "Start the assessment", (S.GATHERING,), S.ASSESSMENT),
    Transition("decide_for_sign_off", "Record the decision", (S.ASSESSMENT,), S.AWAITING_SIGN_OFF),
    Transition("decide_closed", "Record the decision", (S.ASSESSMENT,), S.CLOSED),
    Transition("decide_support", "Record the decision", (S.ASSESSMENT,), S.SUPPORT),
    Transition("decide_channel", "Record the decision", (S.ASSESSMENT,), S.CHANNEL),
    Transition("sign_off_closed", "Sign off the decision", (S.AWAITING_SIGN_OFF,), S.CLOSED, "supervisor"),
    Transition("sign_off_support", "Sign off the decision", (S.AWAITING_SIGN_OFF,), S.SUPPORT, "supervisor"),
    Transition("sign_off_channel", "Sign off the decision", (S.AWAITING_SIGN_OFF,), S.CHANNEL, "supervisor"),
    Transition("return_decision", "Return the decision", (S.AWAITING_SIGN_OFF,), S.ASSESSMENT, "supervisor"),
    Transition("propose_closure", "Propose closure", (S.SUPPORT, S.CHANNEL), S.CLOSURE_PENDING),
    Transition("sign_off_closure", "Sign off closure", (S.CLOSURE_PENDING,), S.CLOSED, "supervisor"),
    Transition("return_closure", "Return closure", (S.CLOSURE_PENDING,), S.SUPPORT, "supervisor"),
    Transition("reopen", "Reopen the case", (S.CLOSED,), S.GATHERING),
    Transition("merge", "Merge into an earlier case", (S.NEW, S.GATHERING), S.MERGED, "triage"),
]
TRANSITIONS_BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


class Outcome(models.TextChoices):
    NFA = "nfa", "No further action"
    NFA_MISTAKEN = "nfa_mistaken", "No further action: mistaken or malicious"
    SIGNPOSTED = "signposted", "Signposted to other services"
    POLICE_LED = "police_led", "Police-led partnership"
    PURSUE = "pursue", "Handed to counter-terrorism investigation"
    CHANNEL = "channel", "Referred to the Channel panel"


# Where each outcome takes the case once it stands.
OUTCOME_STATUS = {
    Outcome.NFA: S.CLOSED,
    Outcome.NFA_MISTAKEN: S.CLOSED,
    Outcome.SIGNPOSTED: S.CLOSED,
    Outcome.PURSUE: S.CLOSED,
    Outcome.POLICE_LED: S.SUPPORT,
    Outcome.CHANNEL: S.CHANNEL,
}


class Decision(models.Model):
    """A police outcome with its rationale: decided by one officer, signed off by another where required."""

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting sign-off"
        STANDS = "stands", "Stands"
        RETURNED = "returned", "Returned"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    rationale = models.TextField()
    signposted_to = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=16, choices=State.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.get_state_display()})"


class AssessmentTemplate(models.Model):
    """A version of the structured assessment; each assessment records the version that answered it."""

    version = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    questions = models.JSONField()
    is_current = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.name} ({self.version})"


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    rationale = models.TextField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self):
        return f"Assessment {self.pk} of {self.case_id}"


class Check(models.Model):
    """Information gathering and deconfliction: a check made and what it found. Police only."""

    class Kind(models.TextChoices):
        POLICE_SYSTEMS = "police_systems", "Police systems"
        DECONFLICTION = "deconfliction", "Counter-terrorism deconfliction (Pursue)"
        PARTNER = "partner", "Partner agency records"
        OTHER = "other", "Other"

    class Result(models.TextChoices):
        NO_TRACE = "no_trace", "No trace"
        TRACE = "trace", "Information found"
        LIVE_INVESTIGATION = "live_investigation", "Part of a live investigation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    result = models.CharField(max_length=32, choices=Result.choices)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_result_display()}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"Note {self.pk} on {self.case_id}"


class CaseEvent(models.Model):
    """One line of the case's chronology, written by the service that made the change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.what
