"""The case: its statuses, what the queue shows next, and every move it can make (the TRANSITIONS table)."""

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
