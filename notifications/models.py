from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Something that needs a user's attention, in the service. Holds a kind and a link, never personal data."""

    class Kind(models.TextChoices):
        REFERRAL_SUBMITTED = "referral_submitted", "New referral received"
        ADVICE_REQUESTED = "advice_requested", "New request for advice"
        ADVICE_REPLIED = "advice_replied", "Reply to a request for advice"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # A reference number and a path inside the service; nothing about the person.
    reference = models.CharField(max_length=32)
    link = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.reference}"
