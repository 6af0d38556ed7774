"""Information gathering and deconfliction, the structured assessment, and the police outcome."""

from django.conf import settings
from django.db import models

from cases.models.case import Case

S = Case.Status
# How strongly each question of an assessment template is answered: stored codes and what people read.
RATINGS = [("none", "None seen"), ("low", "Low"), ("medium", "Medium"), ("high", "High")]


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

    def rated(self) -> list[dict]:
        """Each answer with its question's label and its rating's label ("None seen", never `none`)."""
        questions = {question["key"]: question["label"] for question in self.template.questions}
        ratings = dict(RATINGS)
        rows = []
        for key, answer in self.answers.items():
            answer = answer if isinstance(answer, dict) else {"rating": answer}  # the first assessments' shape
            rating = answer.get("rating") or ""
            rows.append(
                {
                    "question": questions.get(key, key.replace("_", " ").capitalize()),
                    "rating": str(ratings.get(rating, rating)),
                    "notes": answer.get("notes") or "",
                }
            )
        return rows


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
