"""Every read of notifications: a user sees their own, nobody else's."""

import contextlib

from django.core.cache import cache
from django.db.models import QuerySet

from notifications.models import SECURITY_KINDS, Notification

K = Notification.Kind
UNREAD_CACHE_SECONDS = 60
# Who can receive each kind, by permission or role: the preferences page offers only a user's own kinds.
AUDIENCE = {
    K.REFERRAL_SUBMITTED: "referrals.receive_referrals",
    K.ADVICE_REQUESTED: "referrals.answer_advice",
    K.ADVICE_REPLIED: ("referrals.answer_advice", "referrals.submit_referrals"),
    K.REFERRAL_RECEIVED: "referrals.submit_referrals",
    K.REFERRAL_FEEDBACK: "referrals.submit_referrals",
    K.CASE_ASSIGNED: "cases.work_cases",
    K.SIGN_OFF_REQUESTED: "cases.supervise_cases",
    K.PANEL_AGENDA: "cases.sit_on_panel",
    K.PROVIDER_ACCESS_GRANTED: "role:support_provider",
    K.PROVIDER_ACCESS_REVOKED: "role:support_provider",
    K.ASSESSMENT_DUE: "cases.work_cases",
    K.ASSESSMENT_OVERDUE: "cases.work_cases",
    K.REVIEW_DUE: "cases.work_cases",
    K.ALERTS_WAITING: "audit.review_audit",
    K.BREAK_GLASS_WAITING: "audit.review_audit",
    K.ACCOUNT_CHANGE_REQUESTED: "accounts.approve_account_changes",
    K.ACCOUNT_CHANGE_APPROVED: "accounts.manage_accounts",
    K.ACCOUNT_CHANGE_REFUSED: "accounts.manage_accounts",
}


def visible_notifications(user) -> QuerySet[Notification]:
    """Return the user's own notifications, newest first. Every read of notifications starts here."""
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    """Count the user's unread notifications for the header of every page: cached, else one indexed COUNT.

    Sign-in fills the cache, a new notice adds one to it, reading forgets it; it lives a minute at most.
    """
    try:
        cached = cache.get(unread_cache_key(user.pk))
    except Exception:  # noqa: BLE001 - a cache that is down (Redis) must not break every page
        cached = None
    return cached if isinstance(cached, int) else _count_and_cache(user)


def _count_and_cache(user) -> int:
    count = visible_notifications(user).filter(read_at__isnull=True).count()
    with contextlib.suppress(Exception):
        cache.set(unread_cache_key(user.pk), count, UNREAD_CACHE_SECONDS)
    return count


def count_on_sign_in(sender, user, **kwargs) -> None:
    """Count the user's unread notifications afresh as they sign in, so their pages start from the cache."""
    _count_and_cache(user)


def unread_cache_key(user_id) -> str:
    return f"notifications:unread:{user_id}"


def _receives(user, audience) -> bool:
    for rule in (audience,) if isinstance(audience, str) else audience:
        if rule.startswith("role:") and user.has_role(rule.removeprefix("role:")):
            return True
        if not rule.startswith("role:") and user.has_perm(rule):
            return True
    return False


def optional_kinds(user) -> list[tuple[str, str]]:
    """Return the (kind, label) pairs this user may be sent and may turn off by e-mail."""
    return [(kind.value, kind.label) for kind, audience in AUDIENCE.items() if _receives(user, audience)]


def security_kinds() -> list[str]:
    """Return the labels of the security e-mails, which nobody can turn off."""
    return [kind.label for kind in Notification.Kind if kind in SECURITY_KINDS]
