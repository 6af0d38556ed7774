"""Break-glass: an officer's reasoned, time-limited access to a case outside their caseload."""

from django.conf import settings
from django.db import models

from cases.models.case import Case


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
