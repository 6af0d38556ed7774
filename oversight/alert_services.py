"""Who may review alerts, which alerts they see, and marking an alert reviewed (audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audit.models import Alert
from audit.permissions import can_review_alert, can_review_audit
from audit.services import record

SHOW_UNREVIEWED, SHOW_REVIEWED, SHOW_ALL = "unreviewed", "reviewed", "all"
ACCOUNT_CHANGE_WORDS = {
    "user.created": "the account being made",
    "user.email_changed": "a new e-mail address",
    "user.roles_granted": "new roles",
    "mfa.reset": "a two-factor reset",
}


def visible_alerts(user) -> QuerySet[Alert]:
    """Return the alerts this user may see: all of them for a supervisor, none for anyone else."""
    if not can_review_audit(user):
        return Alert.objects.none()
    return Alert.objects.select_related("user", "reviewed_by")


def users_named(ids) -> list:
    """Return the users an alert's details name by id (who changed an account), by name."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids).order_by("full_name", "pk")) if ids else []


def alerts_to_show(user, *, rule: str = "", show: str = SHOW_UNREVIEWED) -> QuerySet[Alert]:
    """Return the alerts for the dashboard list, newest first, filtered by rule and review state."""
    alerts = visible_alerts(user)
    if rule:
        alerts = alerts.filter(rule=rule)
    if show == SHOW_UNREVIEWED:
        alerts = alerts.filter(reviewed_at__isnull=True)
    elif show == SHOW_REVIEWED:
        alerts = alerts.filter(reviewed_at__isnull=False)
    return alerts.order_by("-raised_at", "-id")


def alert_counts(user) -> list[dict]:
    """Return, for every rule in order, its label and how many alerts await review and exist, in one query."""
    rows = {
        row["rule"]: row
        for row in visible_alerts(user)
        .order_by()
        .values("rule")
        .annotate(total=Count("id"), unreviewed=Count("id", filter=Q(reviewed_at__isnull=True)))
    }
    return [
        {
            "rule": rule,
            "label": label,
            "unreviewed": rows.get(rule, {}).get("unreviewed", 0),
            "total": rows.get(rule, {}).get("total", 0),
        }
        for rule, label in Alert.Rule.choices
    ]


def summary(alert: Alert) -> str:
    """Say in a few words what was seen (numbers and times only), and after which reviewed alert if it follows one."""
    after = alert.details.get("after_alert_id")
    return _seen(alert) + (f", since alert {after} was reviewed" if after else "")


def _seen(alert: Alert) -> str:
    count = alert.count
    if alert.rule == Alert.Rule.BULK_VIEWING:
        return f"{count} records opened within {alert.details.get('minutes', '?')} minutes"
    if alert.rule == Alert.Rule.OUT_OF_HOURS:
        return f"{count} {'access' if count == 1 else 'accesses'} to personal data out of hours"
    if alert.rule == Alert.Rule.DORMANT_ACCOUNT:
        never = alert.details.get("never_signed_in")
        return f"{count} days {'since the account was made, never signed in' if never else 'since the last sign-in'}"
    if alert.rule == Alert.Rule.ACCOUNT_CHANGE_PASSWORD:
        what = ", ".join(ACCOUNT_CHANGE_WORDS.get(action, action) for action in alert.details.get("changes", []))
        return f"Password set within {alert.details.get('hours', '?')} hours of {what}"
    if alert.rule == Alert.Rule.OUTSIDE_CASELOAD:
        return f"Opened outside their caseload {count} {'time' if count == 1 else 'times'}"
    return f"{count} {'access' if count == 1 else 'accesses'} to the case"


@transaction.atomic
def review_alert(alert: Alert, *, by, note: str) -> Alert:
    """Mark an alert reviewed with a note; another supervisor than the user it is about, and only once."""
    if not can_review_alert(by, alert):
        raise PermissionDenied
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.reviewed_at is not None:
        raise ValidationError(
            f"{alert.reviewed_by.full_name} already reviewed this alert at "
            f"{timezone.localtime(alert.reviewed_at):%H:%M on %-d %B %Y}."
        )
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Enter a note about what you found"})
    alert.reviewed_at = timezone.now()
    alert.reviewed_by = by
    alert.review_note = note
    alert.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    # The note is free text, kept on the alert; the event keeps to ids and codes.
    record(by=by, action="alert.reviewed", target=alert, rule=alert.rule, about_user_id=alert.user_id)
    return alert
