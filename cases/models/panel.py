"""Channel panel meetings and the cases on their agendas."""

import uuid

from django.conf import settings
from django.db import models

from cases.models.case import Case


class PanelMeeting(models.Model):
    """A Channel panel meeting (chaired by the local authority); members see only its agenda's cases."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meets_on = models.DateField()
    title = models.CharField(max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="panel_meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The chair (the local authority's, usually): a name and an agency, as the panel's minutes record them.
    chair_name = models.CharField(max_length=200, blank=True)
    chair_agency = models.CharField(max_length=200, blank=True)

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
    # What the panel members read: written for them by the officer, never the case's police-only rationale.
    summary = models.TextField(blank=True)
    # The panel's discussion of the case, in its own field.
    minutes = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]

    def __str__(self):
        return f"{self.case_id} at {self.meeting_id}"


class Attendee(models.Model):
    """Who came to a meeting, or sent apologies, for which agency."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)
    attended = models.BooleanField(default=True)  # False: sent apologies

    class Meta:
        ordering = ["agency", "name", "id"]

    def __str__(self):
        return f"{self.name} ({self.agency})"


class PanelAction(models.Model):
    """An action the panel agreed on a case: an agency owns it; it comes back on every later agenda until done."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_agency = models.CharField(max_length=200)
    due_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"Action {self.pk} on {self.item_id}"
