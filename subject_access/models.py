import uuid

from django.conf import settings
from django.db import models


class Exemption(models.TextChoices):
    """Why a passage is withheld: DPA 2018 Part 3 s.45(4), plus other people's data."""

    INVESTIGATION = "investigation", "Avoid obstructing an official or legal inquiry, investigation or procedure"
    CRIME = "crime", "Avoid prejudicing the prevention, detection, investigation or prosecution of crime"
    PUBLIC_SECURITY = "public_security", "Protect public security"
    NATIONAL_SECURITY = "national_security", "Protect national security"
    RIGHTS_OF_OTHERS = "rights_of_others", "Protect the rights and freedoms of others"
    THIRD_PARTY = "third_party", "Third-party data (about someone other than the person asking)"


class SubjectAccessRequest(models.Model):
    """A person's request for a copy of what is held about them: found, confirmed, generated, reviewed, released."""

    class Status(models.TextChoices):
        CONFIRMING = "confirming", "Confirm the records"
        CONFIRMED = "confirmed", "Ready to generate"
        QUEUED = "queued", "Waiting to generate"
        GENERATING = "generating", "Generating"
        READY = "ready", "Ready to check and release"
        STALE = "stale", "Withholding changed: generate again"
        FAILED = "failed", "Generation failed"
        RELEASED = "released", "Released"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMING)
    received_on = models.DateField()
    # One calendar month from receipt (DPA 2018 s.45(3) and s.54: "the applicable time period").
    due_on = models.DateField(db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    # How the request came and how identity was checked; may name the person, so erased with their records.
    note = models.TextField(blank=True)
    # The search that found the records, as the audit trail's keyed hash: never the terms themselves.
    terms_hash = models.CharField(max_length=64)
    # Ids only (they outlive an erasure, so the exports of an erased person can still be found and deleted).
    candidate_referral_ids = models.JSONField(default=list, blank=True)
    referral_ids = models.JSONField(default=list, blank=True)
    case_ids = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The background generation's progress, written by the task as it goes (items done of items found).
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    generation_started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    # The folder under PRIVATE_MEDIA_ROOT/subject_access holding this generation's files: a random name.
    export_folder = models.CharField(max_length=64, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    exports_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        permissions = [("handle_subject_access", "Find, export, withhold and release what is held about a person")]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RELEASED


class Withholding(models.Model):
    """An item (or one field of it) kept out of what the person is given, with the exemption relied on."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="withholdings")
    # The export item's key: a kind and record ids ("note-12", "answers-<uuid>-concerns"), never content.
    item_key = models.CharField(max_length=120)
    # Blank: the whole item; otherwise the label of the one field withheld.
    field = models.CharField(max_length=200, blank=True)
    exemption = models.CharField(max_length=32, choices=Exemption.choices)
    note = models.TextField()
    withheld_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withheld_at = models.DateTimeField()

    class Meta:
        ordering = ["withheld_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item_key", "field"], name="withhold_item_field_once")
        ]

    def __str__(self):
        return f"{self.item_key} withheld from {self.request_id}"
