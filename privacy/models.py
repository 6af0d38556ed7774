from django.conf import settings
from django.db import models


class Tombstone(models.Model):
    """What is left of an erased record: its id, its dates, the rule, who asked and who approved. No personal data.

    The reference number (PR-/PC-) is not kept: partners, letters and e-mails quote it next to the person's
    name, so with their records it still identifies the person. The record's id is what the audit trail
    names, so the trail and the tombstone still meet. Append-only on PostgreSQL, and written there only by the
    erasure's database function `privacy_write_tombstone` (see privacy/triggers.py).
    """

    class RecordType(models.TextChoices):
        CASE = "case", "Case"
        REFERRAL = "referral", "Referral"

    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    record_id = models.UUIDField(db_index=True)
    received_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField()
    rule = models.CharField(max_length=64)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(max_length=16, unique=True)
    # Ids of every record erased with this one, by model ("cases.case": [...]); ids only, as in the audit trail.
    erased_ids = models.JSONField(default=dict, blank=True)
    # How many rows of each kind went, and how many history entries and files were cleared.
    counts = models.JSONField(default=dict, blank=True)
    # Set by the database on insert (PostgreSQL: txid_current()): the history trigger lets the erasing
    # transaction, and only it, redact the field-level history.
    transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-erased_at", "-id"]
        indexes = [models.Index(fields=["erased_at", "id"])]
        permissions = [("view_tombstones", "See erasure tombstones and download deletion certificates")]

    def __str__(self):
        return self.certificate_number


class ErasureInProgress(models.Model):
    """A marker that lives only inside an erasing transaction (SQLite): the history trigger checks it.

    Written and deleted in the same transaction, so no other connection ever sees one. PostgreSQL checks
    the tombstone's transaction id instead and never uses this table.
    """

    tombstone = models.OneToOneField(Tombstone, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return f"Erasure {self.tombstone_id} in progress"
