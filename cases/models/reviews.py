"""The reviews after closure."""

from django.conf import settings
from django.db import models

from cases.models.case import Case


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
