"""Rectification and restriction of processing: two data-subject rights (DPA 2018 ss.46-47).

A rectification supersedes, in what the police see and match on, one answer the referrer gave about the
person (or about the facts of the case). The referral itself stays as the referrer wrote it, so the value
it replaced survives only there and in these rows: never on a police screen but the supervisors' history.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Correctable:
    """One answer that can be corrected: where it sits in the referral's answers, and how to read a new value."""

    section: str
    name: str
    label: str
    kind: str = "text"  # text, long, date, gender, postcode
    # A corrected value of these is what repeat-referral matching and the person search must now find.
    matching: bool = False


CORRECTABLE = {
    "surname": Correctable("the-person", "surname", "Surname or family name", matching=True),
    "forenames": Correctable("the-person", "forenames", "First names", matching=True),
    "aliases": Correctable("the-person", "aliases", "Other names", matching=True),
    "date_of_birth": Correctable("the-person", "date_of_birth", "Date of birth", kind="date", matching=True),
    "gender": Correctable("the-person", "gender", "Gender", kind="gender"),
    "nationality": Correctable("the-person", "nationality", "Nationality"),
    "birth_place": Correctable("the-person", "birth_place", "Place or country of birth"),
    "address": Correctable("contact-details", "address", "Home address", kind="long"),
    "postcode": Correctable("contact-details", "postcode", "Postcode", kind="postcode", matching=True),
    "phone": Correctable("contact-details", "phone", "Phone number"),
    "school_or_occupation": Correctable("contact-details", "school_or_occupation", "School, college or occupation"),
    "nhs_number": Correctable("contact-details", "nhs_number", "NHS number"),
    "social_care_id": Correctable("contact-details", "social_care_id", "Social care ID"),
    "concerns": Correctable("concerns", "concerns", "The concerns (facts of the case)", kind="long"),
    "how_noticed": Correctable("concerns", "how_noticed", "How the concern came to notice", kind="long"),
}


class Rectification(models.Model):
    """A correction: which answer, the value now used, why, who made it and when. Never changed afterwards."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Erased with the case: the corrected value is personal data like the answer it replaces.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rectifications")
    field = models.CharField(max_length=32, choices=[(code, item.label) for code, item in CORRECTABLE.items()])
    value = models.TextField()
    reason = models.TextField()
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rectified_at = models.DateTimeField()

    class Meta:
        ordering = ["-rectified_at", "-id"]
        indexes = [models.Index(fields=["case", "rectified_at"])]

    def __str__(self):
        return f"Rectification {self.pk} of {self.case_id}"

    @property
    def correctable(self) -> Correctable:
        return CORRECTABLE[self.field]


class Restriction(models.Model):
    """A restriction of processing: the case is kept but not used from `restricted_at` until it is lifted."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="restrictions")
    reason = models.TextField()
    restricted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    restricted_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-restricted_at", "-id"]
        constraints = [
            # One restriction in force per case; the case's own restricted_at mirrors it for cheap filtering.
            models.UniqueConstraint(fields=["case"], condition=Q(lifted_at__isnull=True), name="restriction_one_open"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason=""),
                name="restriction_lift_complete",
            ),
        ]

    def __str__(self):
        return f"Restriction {self.pk} of {self.case_id}"
