"""Alerts on unusual access: patterns in the audit trail worth a supervisor's look.

Every rule reads the recent audit events (ALERT_LOOKBACK_HOURS, a day by default, so a missed run catches up)
and raises one Alert per rule, user and key (a case, a day, a period of dormancy) through `raising.raise_alert`:
running a rule again only raises the count of an existing alert when it grew, never a duplicate. The rules, by
idea: `access` (outside the caseload, out of hours, a name like the person's), `bulk` (bulk viewing) and
`accounts` (dormant accounts, an account taken over); `summary` puts what an alert saw into words.
`raise_all_alerts` runs every rule; the Celery task that calls it every 15 minutes is `oversight.tasks.raise_alerts`.
"""

from django.utils import timezone

from audit.models import Alert
from oversight.alerts.access import (
    name_keys,
    raise_name_match_alerts,
    raise_out_of_hours_alerts,
    raise_outside_caseload_alerts,
)
from oversight.alerts.accounts import raise_account_change_alerts, raise_dormant_account_alerts
from oversight.alerts.bulk import raise_bulk_viewing_alerts

__all__ = [
    "RULES",
    "name_keys",
    "raise_account_change_alerts",
    "raise_all_alerts",
    "raise_bulk_viewing_alerts",
    "raise_dormant_account_alerts",
    "raise_name_match_alerts",
    "raise_out_of_hours_alerts",
    "raise_outside_caseload_alerts",
]

RULES = {
    Alert.Rule.OUTSIDE_CASELOAD: raise_outside_caseload_alerts,
    Alert.Rule.BULK_VIEWING: raise_bulk_viewing_alerts,
    Alert.Rule.OUT_OF_HOURS: raise_out_of_hours_alerts,
    Alert.Rule.NAME_MATCH: raise_name_match_alerts,
    Alert.Rule.DORMANT_ACCOUNT: raise_dormant_account_alerts,
    Alert.Rule.ACCOUNT_CHANGE_PASSWORD: raise_account_change_alerts,
}


def raise_all_alerts(now=None) -> dict[str, int]:
    """Run every rule once; return how many new alerts each raised."""
    now = now or timezone.now()
    return {str(rule): raise_rule(now=now) for rule, raise_rule in RULES.items()}
