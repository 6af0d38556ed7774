"""Every write to notifications: in-app notices with their e-mails, read marks, preferences."""

import contextlib
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications import outbox, selectors
from notifications.models import SECURITY_KINDS, Notification, Preference

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def notify(recipients, *, kind: str, reference: str, link: str, key: str = "") -> int:
    """Leave an in-app notification for each recipient and queue their e-mails, in the caller's transaction.

    With a key (reminders), a recipient who already had a notice with that key gets nothing more.
    """
    recipients = list({user.pk: user for user in recipients if user is not None}.values())
    if key and recipients:
        already = set(
            Notification.objects.filter(recipient__in=recipients, key=key).values_list("recipient_id", flat=True)
        )
        recipients = [user for user in recipients if user.pk not in already]
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, reference=reference, link=link, key=key) for user in recipients]
    )
    outbox.queue_emails(recipients, kind=kind, reference=reference, link=link)
    _count_new([user.pk for user in recipients])
    return len(recipients)


def _count_new(user_ids) -> None:
    # Added at once: a rolled-back event over-counts for a minute at most, which beats a query on every page.
    for user_id in user_ids:
        with contextlib.suppress(Exception):  # not cached (ValueError), or the cache is down: counted when next shown
            cache.incr(selectors.unread_cache_key(user_id))


def _forget_count(user_id) -> None:
    """Drop the cached unread count now and after commit (a page drawn meanwhile may cache the old one)."""

    def forget():
        with contextlib.suppress(Exception):
            cache.delete(selectors.unread_cache_key(user_id))

    forget()
    transaction.on_commit(forget)


def _active_with_permission(codename: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, organisation__is_active=True, groups__permissions__codename=codename)
        .distinct()
        .only("pk")
    )


def prevent_team() -> list:
    """Return the active users who receive new referrals and advice requests."""
    return list(_active_with_permission("receive_referrals"))


def supervisors(*, exclude=None) -> list:
    """Return the active supervisors (who sign off decisions and closures), leaving out `exclude`."""
    users = _active_with_permission("supervise_cases")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def account_change_approvers(*, exclude=()) -> list:
    """Return the active users who approve administrators' changes to police accounts, leaving out the ids given."""
    return list(_active_with_permission("approve_account_changes").exclude(pk__in=[pk for pk in exclude if pk]))


def audit_reviewers() -> list:
    """Return the active users who review access alerts and break-glass access."""
    return list(_active_with_permission("review_audit"))


@transaction.atomic
def mark_read(notification: Notification, *, by: "User") -> Notification:
    """Mark one of the user's own notifications read (it holds no personal data, so this is not audited)."""
    if notification.recipient_id != by.pk:
        raise ValidationError("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _forget_count(by.pk)
    return notification


def mark_read_on_opening(path: str, *, by: "User") -> int:
    """Mark read the user's unread notices that point at this page, now that they have opened it.

    However the page was reached (the home page, the queue, a bookmark), a notice about it is then seen.
    """
    count = Notification.objects.filter(recipient=by, read_at__isnull=True, link=path).update(read_at=timezone.now())
    if count:
        _forget_count(by.pk)
    return count


@transaction.atomic
def mark_all_read(*, by: "User") -> int:
    """Mark every unread notification of the user read."""
    count = Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
    _forget_count(by.pk)
    return count


def preference_for(user) -> Preference:
    """Return the user's preferences, or the defaults (every kind by e-mail, one e-mail per event) unsaved."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


@transaction.atomic
def save_preferences(*, by: "User", emails_off, daily_digest: bool) -> Preference:
    """Save which kinds the user gets by e-mail and whether as a daily digest. Security e-mails stay on."""
    emails_off = sorted(set(emails_off))
    if any(kind in SECURITY_KINDS for kind in emails_off):
        raise ValidationError("Security e-mails cannot be turned off.")
    if any(kind not in Notification.Kind.values for kind in emails_off):
        raise ValidationError("Choose from the kinds listed.")
    preference, _ = Preference.objects.update_or_create(
        user=by, defaults={"emails_off": emails_off, "daily_digest": daily_digest}
    )
    record(by=by, action="notifications.preferences_changed", target=by, emails_off=emails_off, digest=daily_digest)
    return preference
