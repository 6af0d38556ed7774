"""How every rule raises an alert: one per rule, user and key, its count raised only when it grew.

A reviewed alert is never changed: when its count grows after the review, a new alert (key
":after:<review time>") is raised for what followed. Alerts hold ids and codes, never names.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from audit.models import Alert, AuditEvent

# Actions that read or write the personal data of the people referred (and the referrers' words).
PERSONAL_DATA_PREFIXES = ("case.", "referral.", "attachment.", "advice.", "panel.", "person.")
AFTER_REVIEW = ":after:"


def lookback_start(now: datetime.datetime) -> datetime.datetime:
    """Return where a run starts reading the trail: ALERT_LOOKBACK_HOURS back, so a missed run catches up."""
    return now - datetime.timedelta(hours=settings.ALERT_LOOKBACK_HOURS)


def local(moment: datetime.datetime) -> datetime.datetime:
    """Return the moment in the service's time zone (days and working hours are local)."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def personal_data_events(since: datetime.datetime, until: datetime.datetime):
    """Return the events by a signed-in user that touched personal data between these times."""
    actions = Q()
    for prefix in PERSONAL_DATA_PREFIXES:
        actions |= Q(action__startswith=prefix)
    return AuditEvent.objects.filter(
        actions, occurred_at__gte=since, occurred_at__lte=until, actor__isnull=False
    ).order_by()


def alert_chain(rule, user_id, key) -> list[Alert]:
    """Return the alerts for this rule, user and key: the first, then one per review it had, oldest first."""
    same_key = Q(key=key) | Q(key__startswith=f"{key}{AFTER_REVIEW}")
    return list(Alert.objects.filter(same_key, rule=rule, user_id=user_id).order_by("id"))


def raise_alert(
    rule,
    user_id,
    key,
    *,
    now,
    count,
    counts_events=True,
    again_after_review=True,
    case_id=None,
    window_start=None,
    window_end=None,
    details=None,
) -> bool:
    """Create the alert for this rule, user and key, or raise its count if it grew; True if it is new.

    A reviewed alert is never changed: activity after it (the count grew) is a new alert to review, keyed
    "<key>:after:<review time>". When `counts_events`, the count is of events and the new alert counts only those
    the earlier alerts did not; otherwise it is a peak (bulk viewing), raised again only when higher. A rule whose
    count only measures time (dormancy) passes `again_after_review=False`: its key already marks a new period.
    """
    values = {"count": count, "window_start": window_start, "window_end": window_end, "details": details or {}}
    chain = alert_chain(rule, user_id, key)
    if not chain:
        _, created = Alert.objects.get_or_create(
            rule=rule, user_id=user_id, key=key, defaults={"case_id": case_id, "raised_at": now, **values}
        )
        return created
    latest, earlier = chain[-1], chain[:-1]
    if latest.reviewed_at is None:
        if counts_events and earlier:
            values.update(count=count - sum(alert.count for alert in earlier), window_start=latest.window_start)
        if earlier:
            values["details"] = {**values["details"], "after_alert_id": earlier[-1].pk}
        if values["count"] > latest.count:
            # Only while unreviewed: a review written meanwhile leaves this row as the reviewer saw it.
            Alert.objects.filter(pk=latest.pk, reviewed_at__isnull=True).update(**values)
        return False
    if not again_after_review:
        return False
    if counts_events:
        values.update(count=count - sum(alert.count for alert in chain), window_start=latest.window_end)
        grew = values["count"] > 0
    else:
        grew = count > latest.count
    if not grew:
        return False
    values["details"] = {**values["details"], "after_alert_id": latest.pk}
    _, created = Alert.objects.get_or_create(
        rule=rule,
        user_id=user_id,
        key=f"{key}{AFTER_REVIEW}{latest.reviewed_at.astimezone(datetime.UTC).isoformat()}",
        defaults={"case_id": case_id, "raised_at": now, **values},
    )
    return created
