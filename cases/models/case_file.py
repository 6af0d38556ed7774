"""Case files: a PDF of the case downloaded for someone outside the Prevent team (a disclosure)."""

from django.conf import settings
from django.db import models

from cases.models.case import Case


class CaseFileDisclosure(models.Model):
    """A case file downloaded for a Channel panel, counter-terrorism policing or an inquiry: why, by whom, when."""

    class Purpose(models.TextChoices):
        CHANNEL_PANEL = "channel_panel", "Channel panel pack"
        CT_HANDOVER = "ct_handover", "Hand-over to counter-terrorism policing"
        INQUIRY = "inquiry", "Review or inquiry (for example professional standards)"

    # The officer's words name the recipient and may name the person: they go with the case if it is erased
    # (the audit trail keeps the purpose and this record's id).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_files")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    note = models.TextField()
    downloaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-downloaded_at", "-id"]

    def __str__(self):
        return f"Case file {self.pk} of {self.case_id}"


# The purposes whose file leaves out what only the police see (checks, chronology, assessment, sign-off notes).
PANEL_PURPOSES = frozenset({CaseFileDisclosure.Purpose.CHANNEL_PANEL})
