"""Support: the plan, consent, providers' access to chosen sections, and their progress notes."""

import uuid

from django.conf import settings
from django.db import models

from cases.models.case import Case


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
