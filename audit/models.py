from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One access to or change of data: who, when, what, to which record, from where, and why.

    Append-only: database triggers refuse UPDATE, DELETE and TRUNCATE. Holds ids and event names, never
    the personal data itself. Each event is chained to the one before: `seq`, `prev_hash` and `hash` are
    set by the database as the row is inserted (see audit/chain.py), so no writer can fork the chain.
    """

    # Each index costs every insert: only those the searches and the sign-in throttle use (see Meta).
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # A snapshot at the time of the event: roles and organisation can change later.
    actor_roles = models.CharField(max_length=200, blank=True)
    actor_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # The case the event concerns, if any (a plain id: erasing a case must not touch its audit trail).
    case_id = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["ip_address", "occurred_at"]),
            # The supervisors' searches: by case, by user, by action, each newest first.
            models.Index(fields=["case_id", "occurred_at", "id"]),
            models.Index(fields=["actor", "occurred_at", "id"]),
            models.Index(fields=["action", "occurred_at", "id"]),
            models.Index(fields=["occurred_at", "id"]),
        ]
        permissions = [("review_audit", "Search the audit trail, review alerts and break-glass access")]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_type}#{self.target_id}"


class ListedCase(models.Model):
    """A case shown on a list page: one row per case of each `record_list` event, so "who saw this case" reads an index.

    Derived from the event's `details["case_ids"]` (which the chain covers), written in the same transaction,
    append-only like the events. Its primary key is the index the searches walk: a case's list pages newest
    first, stopping after one page (a JSON index on the events could only find them all, then sort).
    """

    pk = models.CompositePrimaryKey("case_id", "occurred_at", "event")
    case_id = models.UUIDField()
    occurred_at = models.DateTimeField()
    # No database constraint: the event is written in the same transaction, and neither table allows deletes.
    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="listings", db_index=False, db_constraint=False
    )

    def __str__(self):
        return f"{self.case_id} on list event {self.event_id}"


class RowChange(models.Model):
    """A write to a core personal-data table, captured by a database trigger (PostgreSQL): no write path escapes it.

    Records which columns changed, never their values.
    """

    occurred_at = models.DateTimeField()
    table_name = models.CharField(max_length=64)
    row_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=8)  # INSERT, UPDATE or DELETE
    columns = models.JSONField(default=list, blank=True)
    database_user = models.CharField(max_length=64)
    transaction_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["table_name", "row_id", "occurred_at"])]

    def __str__(self):
        return f"{self.operation} {self.table_name}#{self.row_id}"


class Alert(models.Model):
    """A pattern of access worth a supervisor's look, raised by a scheduled task; reviewed with a note."""

    class Rule(models.TextChoices):
        OUTSIDE_CASELOAD = "outside_caseload", "Access outside caseload"
        BULK_VIEWING = "bulk_viewing", "Bulk viewing"
        OUT_OF_HOURS = "out_of_hours", "Activity out of hours"
        NAME_MATCH = "name_match", "User's name matches the person referred"
        DORMANT_ACCOUNT = "dormant_account", "Dormant account"
        ACCOUNT_CHANGE_PASSWORD = "account_change_password", "Police account changed, then its password set"

    rule = models.CharField(max_length=32, choices=Rule.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case_id = models.UUIDField(null=True, blank=True)
    # One alert per rule, user and key (a window, a case, a day): recomputing never duplicates.
    key = models.CharField(max_length=100)
    raised_at = models.DateTimeField()
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1)
    details = models.JSONField(default=dict, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "user", "key"], name="one_alert_per_rule_user_key")]
        indexes = [models.Index(fields=["reviewed_at", "raised_at"])]

    def __str__(self):
        return f"{self.rule} {self.user_id} {self.key}"
