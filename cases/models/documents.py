"""Documents officers add to a case: kept outside the web root under a random name, like referral attachments."""

import uuid

from django.conf import settings
from django.db import models

from cases.models.case import Case
from referrals.models import Attachment


class CaseDocument(models.Model):
    """A file an officer attached to a case (a letter, a meeting note), with its title and a short description."""

    Scan = Attachment.Scan

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Goes with the case when it is erased (its file too: privacy/erasure.py), and is kept as long as the case.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan = models.CharField(max_length=16, choices=Attachment.Scan.choices, default=Attachment.Scan.NOT_SCANNED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"Case document {self.pk}"
