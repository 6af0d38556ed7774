from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """Something that needs a user's attention, in the service. Holds a kind and a link, never personal data."""

    class Kind(models.TextChoices):
        REFERRAL_SUBMITTED = "referral_submitted", "New referral received"
        ADVICE_REQUESTED = "advice_requested", "New request for advice"
        ADVICE_REPLIED = "advice_replied", "Reply to a request for advice"
        REFERRAL_RECEIVED = "referral_received", "Your referral was received"
        REFERRAL_FEEDBACK = "referral_feedback", "Update on your referral"
        CASE_ASSIGNED = "case_assigned", "Case assigned to you"
        SIGN_OFF_REQUESTED = "sign_off_requested", "Sign-off requested"
        PANEL_AGENDA = "panel_agenda", "Case listed for your panel meeting"
        PROVIDER_ACCESS_GRANTED = "provider_access_granted", "Case shared with you for support"
        PROVIDER_ACCESS_REVOKED = "provider_access_revoked", "Your access to a case ended"
        ASSESSMENT_DUE = "assessment_due", "Assessment due soon"
        ASSESSMENT_OVERDUE = "assessment_overdue", "Assessment overdue"
        REVIEW_DUE = "review_due", "Case review due"
        ALERTS_WAITING = "alerts_waiting", "Access alerts waiting for review"
        RETENTION_REVIEW_DUE = "retention_review_due", "Retention reviews waiting"
        ERASURE_APPROVAL_REQUESTED = "erasure_approval_requested", "Erasure waiting for your approval"
        RECORD_RECTIFIED = "record_rectified", "A record shared with you was corrected"
        SUBJECT_ACCESS_READY = "subject_access_ready", "Subject access export ready"
        BREAK_GLASS_WAITING = "break_glass_waiting", "Break-glass access waiting for review"
        MFA_DEVICE_ENROLLED = "mfa_device_enrolled", "New two-factor authentication app set up"
        PASSWORD_CHANGED = "password_changed", "Your password was changed"
        ACCOUNT_LOCKED = "account_locked", "Your account was locked after failed sign-ins"
        EMAIL_CHANGED = "email_changed", "The e-mail address on your account was changed"
        MFA_RESET = "mfa_reset", "Your two-factor sign-in was reset"
        ACCOUNT_CHANGE_REQUESTED = "account_change_requested", "Account change waiting for your approval"
        ACCOUNT_CHANGE_APPROVED = "account_change_approved", "Account change you asked for was approved"
        ACCOUNT_CHANGE_REFUSED = "account_change_refused", "Account change you asked for was refused"
        COVER_SET = "cover_set", "You are covering a colleague's cases"
        COVER_ENDED = "cover_ended", "Cover of a colleague's cases ended early"
        PUBLIC_CONTACT = "public_contact", "New contact from a member of the public"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # A reference number and a path inside the service; nothing about the person.
    reference = models.CharField(max_length=32)
    link = models.CharField(max_length=200)
    # Set for reminders: the same key never notifies the same user twice (a task run twice, two workers).
    key = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.reference}"


# Security notices are e-mailed at once, always: nobody can turn them off or hold them for a digest.
SECURITY_KINDS = frozenset(
    {
        Notification.Kind.MFA_DEVICE_ENROLLED,
        Notification.Kind.PASSWORD_CHANGED,
        Notification.Kind.ACCOUNT_LOCKED,
        Notification.Kind.EMAIL_CHANGED,
        Notification.Kind.MFA_RESET,
    }
)
DIGEST = "digest"


class Email(models.Model):
    """One e-mail to send, written in the same transaction as the event it tells of: the outbox.

    A worker claims the row (status "sending" with a fresh token), sends, then marks it sent. A claim
    older than NOTIFICATION_CLAIM_TIMEOUT is taken to be a dead worker's and may be claimed again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Claimed by a worker"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent: gave up"
        HELD = "held", "Held for the daily digest"
        DIGESTED = "digested", "Sent in a daily digest"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Sent here instead of the recipient's current address: only the old address, told that the address on the
    # account was changed. Blanked once sent or given up.
    address = models.EmailField(blank=True)
    # A Notification.Kind, or "digest".
    kind = models.CharField(max_length=32)
    reference = models.CharField(max_length=32, blank=True)
    link = models.CharField(max_length=200)
    # A digest's counts per kind: {"case_assigned": 3}.
    counts = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not to be tried before this time (backs off after a failed attempt).
    due_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, default=None)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The class of the last error (e.g. "SMTPServerDisconnected"), never its message: that may quote an address.
    last_error = models.CharField(max_length=100, blank=True)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["recipient", "status"]),
        ]

    def __str__(self):
        return f"E-mail {self.pk} ({self.status})"


class Preference(models.Model):
    """How a user wants to hear of things by e-mail: per kind on or off, and one e-mail per event or a digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    daily_digest = models.BooleanField(default=False)
    # Kinds whose e-mail this user turned off (in-app notices still appear). Never a security kind.
    emails_off = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Notification preferences of {self.user_id}"
