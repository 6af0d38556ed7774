"""Rules about accounts: dormant ones, and a police account taken over (changed, then its password set by link)."""

import datetime

from django.conf import settings
from django.db.models import CharField, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.models import PRIVILEGED_ROLES, Organisation, User
from audit.models import Alert, AuditEvent
from oversight.alerts.raising import lookback_start, raise_alert


def raise_dormant_account_alerts(now=None) -> int:
    """Raise one alert per active account not signed in (or never, since it was made) for ALERT_DORMANT_DAYS."""
    now = now or timezone.now()
    dormant = (
        User.objects.filter(is_active=True)
        .annotate(last_seen=Coalesce("last_login", "created_at"))
        .filter(last_seen__lt=now - datetime.timedelta(days=settings.ALERT_DORMANT_DAYS))
        .order_by()
        .values_list("pk", "last_seen", "last_login")
    )
    return sum(
        raise_alert(
            Alert.Rule.DORMANT_ACCOUNT,
            user_id,
            # A new period of dormancy (after signing in again) is a new alert.
            f"since:{last_seen.isoformat()}",
            now=now,
            count=(now - last_seen).days,
            again_after_review=False,
            window_start=last_seen,
            window_end=now,
            details={"never_signed_in": last_login is None},
        )
        for user_id, last_seen, last_login in dormant
    )


# What changes who can sign in to an account: made, a new e-mail address, roles given, two-factor reset.
ACCOUNT_CHANGES = ("user.created", "user.email_changed", "user.roles_granted", "mfa.reset")
PASSWORD_SET = "auth.password_changed"


def _police_account_ids():
    """Return the ids, as audit target ids, of the accounts in a police team or holding a privileged role."""
    police = Q(organisation__kind=Organisation.Kind.POLICE_PREVENT) | Q(groups__name__in=PRIVILEGED_ROLES)
    users = User.objects.filter(police).order_by()
    return users.annotate(target=Cast("pk", CharField())).values("target")


def raise_account_change_alerts(now=None) -> int:
    """Raise one alert per password set on a police account within ALERT_ACCOUNT_CHANGE_HOURS of its being made or
    changed (e-mail, roles, two-factor reset): how one person would take an account over. The user is the account."""
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.ALERT_ACCOUNT_CHANGE_HOURS)
    about_accounts = AuditEvent.objects.filter(target_type="accounts.user").order_by()
    passwords = list(
        about_accounts.filter(
            # Through a one-time link (an invitation, or a reset by e-mail): the only ways for someone other than its
            # holder to set a password.
            action=PASSWORD_SET,
            details__how__in=["link", "reset"],
            occurred_at__gte=lookback_start(now),
            occurred_at__lte=now,
            target_id__in=_police_account_ids(),
        ).values_list("pk", "target_id", "occurred_at")
    )
    if not passwords:
        return 0
    changes = {}
    for change in about_accounts.filter(
        action__in=ACCOUNT_CHANGES,
        target_id__in={target for _, target, _ in passwords},
        occurred_at__gte=min(at for _, _, at in passwords) - window,
        occurred_at__lte=max(at for _, _, at in passwords),
    ).values_list("pk", "target_id", "occurred_at", "action", "actor_id", "details"):
        changes.setdefault(change[1], []).append(change)
    raised = 0
    for password_id, target, at in passwords:
        before = [c for c in changes.get(target, []) if at - window <= c[2] <= at and c[0] < password_id]
        if not before:
            continue
        raised += raise_alert(
            Alert.Rule.ACCOUNT_CHANGE_PASSWORD,
            int(target),
            f"password:{password_id}",
            now=now,
            count=len(before),
            # One alert per password set: what came before it is fixed, so a second run or a review changes nothing.
            counts_events=False,
            again_after_review=False,
            window_start=min(c[2] for c in before),
            window_end=at,
            details={
                "password_event_id": password_id,
                "change_event_ids": sorted(c[0] for c in before),
                "changes": sorted({c[3] for c in before}),
                # Who made each change and, for an approved one, the administrator who asked for it.
                "changed_by_ids": sorted(
                    {who for c in before for who in (c[4], c[5].get("requested_by_id")) if who is not None}
                ),
                "hours": settings.ALERT_ACCOUNT_CHANGE_HOURS,
            },
        )
    return raised
