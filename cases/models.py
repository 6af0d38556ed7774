import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models

from accounts.models import Organisation

# Statuses of live work, in one order: the queue filters on exactly this list, so PostgreSQL can match the
# partial indexes below.
OPEN_STATUSES = ["new", "gathering", "assessment", "awaiting_sign_off", "channel", "support", "closure_pending"]
IN_QUEUE = models.Q(status__in=OPEN_STATUSES) | models.Q(review_due__isnull=False)


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
    sector = models.CharField(max_length=32, choices=Organisation.Sector.choices)
    concern_type = models.ForeignKey(
        "referrals.ConcernType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The officer's view of the type of concern, recorded with the assessment (the referrer's is above).
    assessed_concern_type = models.ForeignKey(
        "referrals.ConcernType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment_due = models.DateField()
    referral_count = models.PositiveIntegerField(default=1)
    outcome = models.CharField(max_length=32, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The next post-closure review still to do; a due review brings the case back into the queue.
    review_due = models.DateField(null=True, blank=True, db_index=True)
    # Restriction of processing (a data-subject right): kept but not used; only supervisors open it.
    restricted_at = models.DateTimeField(null=True, blank=True)
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
            # The queue's default view (open work, or a review scheduled): a small index walked in order from
            # the cursor, so a deep page costs what the first does. PostgreSQL proves the queue's filter
            # (open, or review_due <= today) implies this condition.
            models.Index(fields=["assessment_due", "id"], condition=IN_QUEUE, name="case_queue_due"),
            models.Index(fields=["received_at", "id"], condition=IN_QUEUE, name="case_queue_received"),
        ]
        permissions = [
            ("work_cases", "Triage, assess and decide cases"),
            ("supervise_cases", "Open every case, assign work and sign off decisions"),
            # Granted per case, with django-guardian, to a support provider while their grant lasts.
            ("support_case", "See the shared sections of a case and record progress"),
            ("sit_on_panel", "See cases on the agenda of one's Channel panel meetings"),
        ]

    def __str__(self):
        return self.reference


# What the queue says needs doing next, by status.
NEXT_ACTION = {
    Case.Status.NEW: "Triage",
    Case.Status.GATHERING: "Checks and deconfliction",
    Case.Status.ASSESSMENT: "Assess and decide",
    Case.Status.AWAITING_SIGN_OFF: "Supervisor sign-off",
    Case.Status.CHANNEL: "Channel panel",
    Case.Status.SUPPORT: "Support and consent",
    Case.Status.CLOSURE_PENDING: "Closure sign-off",
    Case.Status.CLOSED: "Review",
}


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
    Transition("panel_adopts", "Record that the panel adopted the case", (S.CHANNEL,), S.SUPPORT, "panel"),
    Transition("panel_declines", "Record that the panel did not adopt the case", (S.CHANNEL,), S.CLOSED, "panel"),
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


class PanelMeeting(models.Model):
    """A Channel panel meeting (chaired by the local authority); members see only its agenda's cases."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meets_on = models.DateField()
    title = models.CharField(max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="panel_meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-meets_on"]

    def __str__(self):
        return f"{self.title} ({self.meets_on:%d %b %Y})"


class AgendaItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "To discuss"
        ADOPTED = "adopted", "Adopted as a Channel case"
        NOT_ADOPTED = "not_adopted", "Not adopted"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    onward_referral = models.CharField(max_length=300, blank=True, help_text="If not adopted: health or social care?")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]

    def __str__(self):
        return f"{self.case_id} at {self.meeting_id}"


class SupportPlan(models.Model):
    """What support, by whom, how and when; who seeks consent and how."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="support_plan")
    support = models.TextField()
    provided_by = models.CharField(max_length=300)
    how_and_when = models.TextField()
    consent_sought_by = models.CharField(max_length=200)
    consent_method = models.CharField(max_length=300)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Support plan of {self.case_id}"


class Consent(models.Model):
    """Consent to support: the person's own at 18 or over, a parent's or guardian's under 18."""

    class State(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class GivenBy(models.TextChoices):
        PERSON = "person", "The person (18 or over)"
        PARENT = "parent", "A parent"
        GUARDIAN = "guardian", "A guardian"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    state = models.CharField(max_length=16, choices=State.choices)
    given_by = models.CharField(max_length=16, choices=GivenBy.choices)
    under_18 = models.BooleanField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.get_state_display()} by {self.get_given_by_display()}"


class ProviderGrant(models.Model):
    """A support provider's access to chosen sections of one case, from its grant until it is revoked."""

    class Section(models.TextChoices):
        SUPPORT_PLAN = "support_plan", "Support plan"
        CONCERNS = "concerns", "The concerns referred"
        NEEDS = "needs", "Their needs"
        CONTACT = "contact", "Their contact details"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_grants")
    sections = models.JSONField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["provider", "revoked_at"])]

    def __str__(self):
        return f"Grant {self.pk}"


class ProgressNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress_notes")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"Progress {self.pk} on {self.case_id}"


class Review(models.Model):
    """A review after closure (6 and 12 months, extendable to 24): concerns gone, or reopen."""

    class Outcome(models.TextChoices):
        NO_CONCERNS = "no_concerns", "No further concerns"
        EXTENDED = "extended", "Review again at 24 months"
        REOPENED = "reopened", "Concerns have returned: reopen"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.months}-month review of {self.case_id}"


class BreakGlass(models.Model):
    """An officer's reasoned, time-limited access to a case outside their caseload, for a supervisor to review.

    It lets the officer read the case, never act as its officer.
    """

    class Reason(models.TextChoices):
        COVERING = "covering", "Covering for an absent colleague"
        SAFEGUARDING = "safeguarding", "Urgent safeguarding risk"
        DECONFLICTION = "deconfliction", "Deconfliction or duplicate check"
        SUPERVISOR_ASKED = "supervisor_asked", "A supervisor asked me to"
        OTHER = "other", "Another reason"

    class Verdict(models.TextChoices):
        APPROPRIATE = "appropriate", "Appropriate"
        INAPPROPRIATE = "inappropriate", "Not appropriate"

    # The officer's words may name the person: they go with the case if it is erased (the audit trail keeps ids).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    reason_code = models.CharField(max_length=32, choices=Reason.choices)
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["granted_at", "id"]
        indexes = [
            # "Does this officer hold an unexpired grant for this case?": asked on every page they open.
            models.Index(fields=["user", "case", "expires_at"]),
            # The supervisors' review queue: awaiting review oldest first, reviewed newest first.
            models.Index(fields=["reviewed_at", "granted_at", "id"]),
        ]
        constraints = [
            # Awaiting review, or reviewed by someone with a verdict: never half-reviewed.
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True, reviewed_by__isnull=True, verdict="")
                | models.Q(
                    reviewed_at__isnull=False, reviewed_by__isnull=False, verdict__in=["appropriate", "inappropriate"]
                ),
                name="break_glass_review_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="break_glass_expires_after_grant"
            ),
        ]

    def __str__(self):
        return f"Break-glass {self.pk} on {self.case_id}"
