"""A contact from a member of the public: a concern sent through the public "get in touch" form, no account needed."""

import uuid

from django.conf import settings
from django.db import models


class PublicContact(models.Model):
    """What a member of the public told the Prevent team; it waits in the advice queue until replied to and closed."""

    class Relationship(models.TextChoices):
        FAMILY = "family", "Family member"
        FRIEND = "friend", "Friend"
        NEIGHBOUR = "neighbour", "Neighbour"
        COMMUNITY = "community", "Member of a community or faith group"
        PROFESSIONAL = "professional", "Someone who works with them (without an account here)"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "Waiting for the Prevent team"
        REPLIED = "replied", "Replied"
        REFERRED = "referred", "Recorded as a referral"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Given to the sender; random, never personal data.
    reference = models.CharField(max_length=16, unique=True)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    relationship_other = models.CharField(max_length=100, blank=True)
    concern = models.TextField()
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField(blank=True)
    sender_phone = models.CharField(max_length=30, blank=True)
    person_name = models.CharField(max_length=200, blank=True)
    person_age = models.CharField(max_length=20, blank=True)
    person_area = models.CharField(max_length=200, blank=True)
    # Sent after the browser solved the proof-of-work check (False: sent with JavaScript off, under a tighter limit).
    challenge_passed = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    referral = models.OneToOneField(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="public_contact"
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "id"]
        indexes = [models.Index(fields=["status", "-received_at"], name="public_contact_queue")]

    def __str__(self):
        return self.reference

    @property
    def anonymous(self) -> bool:
        return not (self.sender_email or self.sender_phone)


class ContactReply(models.Model):
    """How the team answered a contact (by phone, e-mail or in person): the record of advice given."""

    class How(models.TextChoices):
        PHONE = "phone", "By phone"
        EMAIL = "email", "By e-mail"
        IN_PERSON = "in_person", "In person"
        NOTE = "note", "Note only (no reply possible)"

    contact = models.ForeignKey(PublicContact, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    how = models.CharField(max_length=16, choices=How.choices)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Reply {self.pk} on {self.contact_id}"
