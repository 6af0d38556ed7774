import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

# The national form has changed several times: every referral records the version it was made on.
FORM_VERSION = "2024.1"


class ConcernType(models.Model):
    """A code in the 'type of concern' list, valid between two dates (national statistics categories)."""

    code = models.SlugField(max_length=64)
    label = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="concern_type_code_from")]

    def __str__(self):
        return self.label


class Referral(models.Model):
    """One submission on the referral form: the answers as the referrer gave them, never rewritten."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        RECEIVED = "received", "Received"
        UNDER_ASSESSMENT = "under_assessment", "Under assessment"
        CLOSED = "closed", "Closed"

    class Channel(models.TextChoices):
        FORM = "form", "Referral form"
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        PUBLIC = "public", "Member of the public (online form)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Shown to people; random, never sequential, never personal data.
    reference = models.CharField(max_length=16, unique=True, null=True, blank=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)
    form_version = models.CharField(max_length=16, default=FORM_VERSION)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    # The partner organisation the concern comes from (for an officer's entry: the partner who called).
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="referrals")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.FORM)
    entered_by_police = models.BooleanField(default=False)
    answers = models.JSONField(default=dict, blank=True)
    concern_type = models.ForeignKey(ConcernType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    advice_request = models.ForeignKey(
        "referrals.AdviceRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    feedback = models.TextField(blank=True, help_text="What the officer chose to share with the referrer.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Restriction of processing (a data-subject right): kept but not used; only supervisors open it.
    restricted_at = models.DateTimeField(null=True, blank=True)
    # Reporting facts copied from the answers at submission (referrals.facts), so statistics never read answers.
    age_band = models.CharField(max_length=16, blank=True)
    gender = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "submitted_at"]),
            models.Index(fields=["author", "status", "updated_at"]),
        ]
        permissions = [
            ("receive_referrals", "Receive and read submitted referrals"),
            ("submit_referrals", "Submit referrals for a partner organisation"),
            ("enter_referrals_for_partners", "Enter referrals received by phone or email"),
        ]

    def __str__(self):
        return self.reference or "Draft referral"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PersonKey(models.Model):
    """One normalised identifying value of the person referred: what repeat-referral matching looks up."""

    class Kind(models.TextChoices):
        NAME = "name", "Name"
        SOUNDS_LIKE = "sounds_like", "Name that sounds alike"
        BIRTH_DATE = "birth_date", "Date of birth"
        BIRTH_YEAR = "birth_year", "Year of birth"
        POSTCODE = "postcode", "Postcode"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="person_keys")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.kind} key of {self.referral_id}"


class ReferralLink(models.Model):
    """A possible repeat referral: a later referral that may be about the same person as an earlier one."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "To check"
        CONFIRMED = "confirmed", "Same person"
        REJECTED = "rejected", "Not the same person"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    earlier = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="later_links")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUGGESTED)
    reasons = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "earlier"], name="referral_link_once"),
            models.CheckConstraint(condition=~Q(referral=models.F("earlier")), name="referral_link_not_self"),
        ]

    def __str__(self):
        return f"{self.referral_id} may repeat {self.earlier_id}"


class Attachment(models.Model):
    """A file given with a referral, kept outside the web root under a random name."""

    class Scan(models.TextChoices):
        NOT_SCANNED = "not_scanned", "Not scanned"
        CLEAN = "clean", "No threats found"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan = models.CharField(max_length=16, choices=Scan.choices, default=Scan.NOT_SCANNED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return f"Attachment {self.pk}"


class AdviceRequest(models.Model):
    """A partner asks the Prevent team for advice, before or instead of a referral; no name needed."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the Prevent team"
        ANSWERED = "answered", "Answered"
        REFERRAL_ASKED = "referral_asked", "Referral requested"
        CLOSED = "closed", "Closed"

    class Channel(models.TextChoices):
        SERVICE = "service", "This service"
        PHONE = "phone", "Phone call"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.SERVICE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("answer_advice", "Answer advice requests and log advice given")]

    def __str__(self):
        return self.reference


class AdviceMessage(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_police = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Message {self.pk} on {self.request_id}"
