"""The e-mail outbox: rows written with the event, sent by Celery after commit, drained every minute.

Sending is claim, send, mark sent. The claim is one conditional UPDATE, so of two workers holding the
same row (a redelivered task, the drain racing a task) only one sends. A worker that dies between its
claim and "sent" leaves the row "sending"; after NOTIFICATION_CLAIM_TIMEOUT_SECONDS the drain claims it
again. If the death came after the SMTP server accepted the message but before the row was marked,
that e-mail goes twice: no e-mail system can make that window zero without the receiving server's help,
so it is kept to the moment between the server's "250 OK" and one UPDATE, and each message carries a
Message-ID fixed by its row so mail clients can fold a duplicate. Everywhere else it is sent at most once.
"""

import logging
import uuid
from collections import Counter
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.models import DIGEST, SECURITY_KINDS, Email, Notification, Preference

logger = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 30


def queue_emails(recipients, *, kind: str, reference: str, link: str) -> list[int]:
    """Write an outbox row per recipient who wants this kind by e-mail; send after commit. Call inside a transaction."""
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=[user.pk for user in recipients])}
    rows = []
    for user in recipients:
        preference = preferences.get(user.pk)
        security = kind in SECURITY_KINDS
        if preference is not None and not security and kind in preference.emails_off:
            continue
        held = preference is not None and preference.daily_digest and not security
        status = Email.Status.HELD if held else Email.Status.PENDING
        rows.append(Email(recipient_id=user.pk, kind=kind, reference=reference, link=link, status=status))
    created = Email.objects.bulk_create(rows)
    pending = [row.pk for row in created if row.status == Email.Status.PENDING]
    if pending:
        transaction.on_commit(partial(enqueue, pending))
    return pending


def queue_email_to_address(user, address: str, *, kind: str, reference: str, link: str) -> int:
    """Write one security e-mail about the user's account to an address that is no longer theirs; send after commit."""
    row = Email.objects.create(recipient_id=user.pk, address=address, kind=kind, reference=reference, link=link)
    transaction.on_commit(partial(enqueue, [row.pk]))
    return row.pk


def enqueue(email_ids: list[int]) -> None:
    """Hand each e-mail to Celery by id. With the broker down, log the ids and leave the rows for the drain."""
    from notifications.tasks import send_email

    try:
        with send_email.app.connection_for_write() as connection:
            if not send_email.app.conf.task_always_eager:
                # Fail fast: the outbox row is the retry, and a request must not hang while Redis is away.
                connection.ensure_connection(max_retries=0)
            for email_id in email_ids:
                send_email.apply_async(kwargs={"email_id": email_id}, connection=connection, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the drain sends them later
        logger.warning("e-mails %s left in the outbox for the drain (%s)", email_ids, type(error).__name__)


def _claimable(now) -> Q:
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    return Q(status=Email.Status.PENDING, due_at__lte=now) | Q(status=Email.Status.SENDING, claimed_at__lt=stale)


def claim(email_id: int) -> uuid.UUID | None:
    """Claim one e-mail for sending; None if it is sent, failed, not yet due, or another worker holds it."""
    now, token = timezone.now(), uuid.uuid4()
    claimed = Email.objects.filter(_claimable(now), pk=email_id).update(
        status=Email.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    return token if claimed else None


def deliver(email_id: int) -> bool:
    """Send one outbox e-mail unless it is already sent or held by a live claim (safe to run twice)."""
    token = claim(email_id)
    return token is not None and send_claimed(email_id, token)


def send_claimed(email_id: int, token: uuid.UUID) -> bool:
    """Send an e-mail this worker has claimed, then mark it sent (or due again later, or failed)."""
    email = Email.objects.select_related("recipient").get(pk=email_id)
    claimed = Email.objects.filter(pk=email_id, claim_token=token)
    if not email.recipient.is_active or not email.recipient.email:
        claimed.update(status=Email.Status.FAILED, last_error="InactiveRecipient", address="")
        return False
    try:
        with get_connection(timeout=SMTP_TIMEOUT_SECONDS) as connection:
            build_message(email, connection=connection).send()
    except Exception as error:  # noqa: BLE001 - any sending failure is retried later by the drain
        if email.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            claimed.update(status=Email.Status.FAILED, last_error=type(error).__name__, address="")
        else:
            later = timezone.now() + timedelta(minutes=2**email.attempts)
            claimed.update(status=Email.Status.PENDING, due_at=later, last_error=type(error).__name__)
        logger.warning("e-mail %s not sent, attempt %s (%s)", email_id, email.attempts, type(error).__name__)
        return False
    # An old address is kept no longer than it is needed.
    claimed.update(status=Email.Status.SENT, sent_at=timezone.now(), address="")
    return True


def build_message(email: Email, *, connection=None) -> EmailMessage:
    """Say what kind of thing needs attention, its service reference and a link: never anything about a person."""
    site = settings.SITE_URL.rstrip("/")
    if email.kind == DIGEST:
        labels = dict(Notification.Kind.choices)
        counts = sorted((labels.get(kind, kind), count) for kind, count in email.counts.items())
        title = "your daily summary"
        body = render_to_string(
            "notifications/email/digest.txt",
            {"service_name": settings.SERVICE_NAME, "counts": counts, "link": site + email.link},
        )
    else:
        title = Notification.Kind(email.kind).label
        body = render_to_string(
            "notifications/email/message.txt",
            {
                "service_name": settings.SERVICE_NAME,
                "title": title,
                "reference": email.reference,
                "link": site + email.link,
                "security": email.kind in SECURITY_KINDS,
                "to_old_address": bool(email.address),
            },
        )
    subject = f"{settings.SERVICE_NAME}: {title}" + (f" ({email.reference})" if email.reference else "")
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return EmailMessage(
        subject,
        body,
        None,
        [email.address or email.recipient.email],
        connection=connection,
        # Fixed per outbox row: a duplicate from the one unavoidable window (see above) can be folded by the client.
        headers={"Message-ID": f"<notification-{email.pk}@{host}>"},
    )


def drain(*, batch_size: int = 100, max_batches: int = 20) -> int:
    """Send what is waiting: rows never handed to Celery (Redis was down), due retries, dead workers' claims."""
    sent = 0
    for _ in range(max_batches):
        now, token = timezone.now(), uuid.uuid4()
        with transaction.atomic():
            # skip_locked: two drains (or a drain and a task) never wait on, nor take, the same rows.
            ids = list(
                Email.objects.select_for_update(skip_locked=True)
                .filter(_claimable(now))
                .order_by("due_at", "pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            Email.objects.filter(_claimable(now), pk__in=ids).update(
                status=Email.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
            )
        claimed = list(Email.objects.filter(claim_token=token).values_list("pk", flat=True))
        sent += sum(send_claimed(email_id, token) for email_id in claimed)
        if len(ids) < batch_size:
            break
    return sent


def send_digests() -> int:
    """Gather each user's held e-mails into one digest of counts per kind; at most one digest a day each."""
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    digests = 0
    for user_id in Email.objects.filter(status=Email.Status.HELD).values_list("recipient_id", flat=True).distinct():
        with transaction.atomic():
            if Email.objects.filter(recipient_id=user_id, kind=DIGEST, created_at__gte=start_of_day).exists():
                continue
            held = list(
                Email.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=user_id, status=Email.Status.HELD)
                .values_list("pk", "kind")
            )
            if not held:
                continue
            counts = Counter(kind for _, kind in held)
            digest = Email.objects.create(
                recipient_id=user_id, kind=DIGEST, link=reverse("notifications:list"), counts=dict(counts)
            )
            Email.objects.filter(pk__in=[pk for pk, _ in held]).update(status=Email.Status.DIGESTED, digest=digest)
            transaction.on_commit(partial(enqueue, [digest.pk]))
            digests += 1
    return digests
