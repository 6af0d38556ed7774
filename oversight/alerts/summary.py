"""The few words a supervisor reads for an alert: numbers and times only, never a name."""

from django.utils.translation import ngettext

from audit.models import Alert

ACCOUNT_CHANGE_WORDS = {
    "user.created": "the account being made",
    "user.email_changed": "a new e-mail address",
    "user.roles_granted": "new roles",
    "mfa.reset": "a two-factor reset",
}


def summary(alert: Alert) -> str:
    """Say in a few words what was seen (numbers and times only), and after which reviewed alert if it follows one."""
    after = alert.details.get("after_alert_id")
    return _seen(alert) + (f", since alert {after} was reviewed" if after else "")


def _seen(alert: Alert) -> str:
    count = alert.count
    if alert.rule == Alert.Rule.BULK_VIEWING:
        minutes = alert.details.get("minutes", "?")
        return ngettext("%(count)d record opened", "%(count)d records opened", count) % {"count": count} + (
            f" within {minutes} " + ngettext("minute", "minutes", minutes if isinstance(minutes, int) else 2)
        )
    if alert.rule == Alert.Rule.OUT_OF_HOURS:
        return f"{count} {'access' if count == 1 else 'accesses'} to personal data out of hours"
    if alert.rule == Alert.Rule.DORMANT_ACCOUNT:
        never = alert.details.get("never_signed_in")
        days = ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
        return f"{days} {'since the account was made, never signed in' if never else 'since the last sign-in'}"
    if alert.rule == Alert.Rule.ACCOUNT_CHANGE_PASSWORD:
        what = ", ".join(ACCOUNT_CHANGE_WORDS.get(action, action) for action in alert.details.get("changes", []))
        hours = alert.details.get("hours", "?")
        unit = ngettext("hour", "hours", hours if isinstance(hours, int) else 2)
        return f"Password set within {hours} {unit} of {what}"
    if alert.rule == Alert.Rule.OUTSIDE_CASELOAD:
        return f"Opened outside their caseload {count} {'time' if count == 1 else 'times'}"
    return f"{count} {'access' if count == 1 else 'accesses'} to the case"
