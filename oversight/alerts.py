"""Alerts on unusual access: patterns in the audit trail worth a supervisor's look.

Every rule reads the recent audit events (ALERT_LOOKBACK_HOURS, a day by default, so a missed run
catches up) and raises one Alert per rule, user and key (a case, a day, a period of dormancy).
Running a rule again only raises the count of an existing alert when it grew: never a duplicate. A reviewed
alert is never changed: when its count grows after the review, a new alert (key ":after:<review time>") is raised.
Alerts hold ids and codes, never names. `raise_alerts` runs every rule (Celery beat, every 15 minutes).
"""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Count, FloatField, Func, Max, Min, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, ExtractHour, ExtractIsoWeekDay, ExtractMinute, TruncDate
from django.utils import timezone

from audit.models import Alert, AuditEvent

BREAK_GLASS = "case.break_glass"
# Actions that read or write the personal data of the people referred (and the referrers' words).
PERSONAL_DATA_PREFIXES = ("case.", "referral.", "attachment.", "advice.", "panel.", "person.")


def _since(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(hours=settings.ALERT_LOOKBACK_HOURS)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def personal_data_events(since: datetime.datetime, until: datetime.datetime):
    """Return the events by a signed-in user that touched personal data between these times."""
    actions = Q()
    for prefix in PERSONAL_DATA_PREFIXES:
        actions |= Q(action__startswith=prefix)
    return AuditEvent.objects.filter(
        actions, occurred_at__gte=since, occurred_at__lte=until, actor__isnull=False
    ).order_by()


AFTER_REVIEW = ":after:"


def _chain(rule, user_id, key) -> list[Alert]:
    """Return the alerts for this rule, user and key: the first, then one per review it had, oldest first."""
    same_key = Q(key=key) | Q(key__startswith=f"{key}{AFTER_REVIEW}")
    return list(Alert.objects.filter(same_key, rule=rule, user_id=user_id).order_by("id"))


def _raise(
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
    chain = _chain(rule, user_id, key)
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


def raise_outside_caseload_alerts(now=None) -> int:
    """Raise one alert per user, case and day on which they opened the case outside their caseload."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    rows = (
        AuditEvent.objects.filter(
            action=BREAK_GLASS, occurred_at__gte=_since(now), occurred_at__lte=now, actor__isnull=False
        )
        .exclude(case_id=None)
        .order_by()
        .values("actor_id", "case_id", day=TruncDate("occurred_at", tzinfo=tz))
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"), first_event=Min("id"))
    )
    return sum(
        _raise(
            Alert.Rule.OUTSIDE_CASELOAD,
            row["actor_id"],
            f"{row['case_id']}:{row['day'].isoformat()}",
            now=now,
            count=row["count"],
            case_id=row["case_id"],
            window_start=row["first"],
            window_end=row["last"],
            details={"first_event_id": row["first_event"]},
        )
        for row in rows
    )


class EpochSeconds(Func):
    """Seconds since 1970 of a timestamp, as a float (SQLite and PostgreSQL)."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::double precision")


# Each touch of a record counts from its time until M minutes later, or until the same user touches the same
# record again (that later touch carries the count on): so at any moment the number of open spans is the number
# of distinct records the user touched in the M minutes up to then. A running sum over the spans' starts (+1)
# and ends (-1), in time order with ends first, gives that number at every touch in one pass of window functions.
BULK_SQL = """
WITH touches AS ({touches}),
spans AS (
    SELECT actor_id, t, LEAD(t) OVER (PARTITION BY actor_id, record ORDER BY t) AS next_t FROM touches
),
steps AS (
    SELECT actor_id, t AS at, 1 AS step FROM spans WHERE next_t IS NULL OR next_t > t
    UNION ALL
    SELECT actor_id, CASE WHEN next_t IS NULL OR next_t > t + %s THEN t + %s ELSE next_t END, -1
    FROM spans WHERE next_t IS NULL OR next_t > t
),
running AS (
    SELECT actor_id, at, step,
        SUM(step) OVER (PARTITION BY actor_id ORDER BY at, step ROWS UNBOUNDED PRECEDING) AS records
    FROM steps
)
SELECT actor_id, at, records FROM running WHERE step = 1 AND records > %s
"""


def bulk_viewing_peaks(since: datetime.datetime, until: datetime.datetime) -> list[tuple[int, float, int]]:
    """Return (user id, epoch seconds, distinct records in the M minutes up to then) wherever it passed N."""
    touches = (
        personal_data_events(since, until)
        .exclude(action__in=settings.ALERT_BULK_IGNORED_ACTIONS)
        .filter(Q(case_id__isnull=False) | ~Q(target_id=""))
        .annotate(
            t=EpochSeconds("occurred_at"),
            record=Coalesce(
                Cast("case_id", CharField()), Concat("target_type", Value(":"), "target_id", output_field=CharField())
            ),
        )
        .values("actor_id", "t", "record")
    )
    sql, params = touches.query.sql_with_params()
    seconds = float(settings.ALERT_BULK_MINUTES * 60)
    with connection.cursor() as cursor:
        cursor.execute(BULK_SQL.format(touches=sql), (*params, seconds, seconds, settings.ALERT_BULK_RECORDS))
        return [(actor_id, float(at), int(records)) for actor_id, at, records in cursor.fetchall()]


def raise_bulk_viewing_alerts(now=None) -> int:
    """Raise one alert per user and day on which they touched more than N distinct records within M minutes."""
    now = now or timezone.now()
    minutes = settings.ALERT_BULK_MINUTES
    peaks = {}
    for actor_id, at, records in bulk_viewing_peaks(_since(now), now):
        moment = datetime.datetime.fromtimestamp(at, tz=datetime.UTC)
        key = (actor_id, _local(moment).date())
        if key not in peaks or records > peaks[key][1]:
            peaks[key] = (moment, records)
    return sum(
        _raise(
            Alert.Rule.BULK_VIEWING,
            actor_id,
            day.isoformat(),
            now=now,
            count=records,
            counts_events=False,
            window_start=moment - datetime.timedelta(minutes=minutes),
            window_end=moment,
            details={"minutes": minutes, "threshold": settings.ALERT_BULK_RECORDS},
        )
        for (actor_id, day), (moment, records) in peaks.items()
    )


def working_hours() -> tuple[int, int]:
    """Return the working day's start and end as minutes after midnight, from ALERT_WORKING_HOURS ("07:00-19:00")."""
    start, end = (
        int(hours) * 60 + int(minutes)
        for hours, minutes in (part.strip().split(":") for part in settings.ALERT_WORKING_HOURS.split("-"))
    )
    return start, end


def raise_out_of_hours_alerts(now=None) -> int:
    """Raise one alert per user and day on which they touched personal data outside working hours."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    start, end = working_hours()
    rows = (
        personal_data_events(_since(now), now)
        .annotate(
            minute_of_day=ExtractHour("occurred_at", tzinfo=tz) * 60 + ExtractMinute("occurred_at", tzinfo=tz),
            weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz),
        )
        .exclude(weekday__in=settings.ALERT_WORKING_DAYS, minute_of_day__gte=start, minute_of_day__lt=end)
        .values("actor_id", day=TruncDate("occurred_at", tzinfo=tz))
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    )
    return sum(
        _raise(
            Alert.Rule.OUT_OF_HOURS,
            row["actor_id"],
            row["day"].isoformat(),
            now=now,
            count=row["count"],
            window_start=row["first"],
            window_end=row["last"],
            details={"working_hours": settings.ALERT_WORKING_HOURS, "working_days": settings.ALERT_WORKING_DAYS},
        )
        for row in rows
    )


def name_keys(full_name: str) -> set[tuple[str, str]]:
    """Return the repeat-referral name keys (exact and sounds-alike) of a user's name: first and last word."""
    from referrals.matching import NAME_KINDS, keys_for

    words = full_name.replace(",", " ").split()
    if len(words) < 2:
        return set()
    person = {"the-person": {"forenames": words[0], "surname": words[-1]}}
    return {(kind, value) for kind, value in keys_for(person) if kind in NAME_KINDS}


def raise_name_match_alerts(now=None) -> int:
    """Raise one alert per user, case and day they accessed a case whose person referred has a name like theirs."""
    from referrals.models import PersonKey

    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    events = personal_data_events(_since(now), now).exclude(case_id=None)
    names = get_user_model().objects.filter(pk__in=events.values("actor_id")).values_list("pk", "full_name")
    users_by_key = {}
    for user_id, full_name in names:
        for key in name_keys(full_name):
            users_by_key.setdefault(key, set()).add(user_id)
    if not users_by_key:
        return 0
    values_by_kind = {}
    for kind, value in users_by_key:
        values_by_kind.setdefault(kind, []).append(value)
    wanted = Q()
    for kind, values in values_by_kind.items():
        wanted |= Q(kind=kind, value__in=values)
    # One indexed look-up: the name keys of the people referred in the cases accessed, that any accessor shares.
    shared = (
        PersonKey.objects.filter(wanted, referral__case_id__in=events.values("case_id"))
        .values_list("referral__case_id", "kind", "value")
        .distinct()
    )
    kinds_by_pair = {}
    for case_id, kind, value in shared:
        for user_id in users_by_key[(kind, value)]:
            kinds_by_pair.setdefault((user_id, case_id), set()).add(kind)
    if not kinds_by_pair:
        return 0
    accesses = (
        events.filter(
            actor_id__in={user_id for user_id, _ in kinds_by_pair},
            case_id__in={case_id for _, case_id in kinds_by_pair},
        )
        .values("actor_id", "case_id", day=TruncDate("occurred_at", tzinfo=tz))
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    )
    return sum(
        _raise(
            Alert.Rule.NAME_MATCH,
            row["actor_id"],
            f"{row['case_id']}:{row['day'].isoformat()}",
            now=now,
            count=row["count"],
            case_id=row["case_id"],
            window_start=row["first"],
            window_end=row["last"],
            details={"matched": sorted(kinds_by_pair[(row["actor_id"], row["case_id"])])},
        )
        for row in accesses
        if (row["actor_id"], row["case_id"]) in kinds_by_pair
    )


def raise_dormant_account_alerts(now=None) -> int:
    """Raise one alert per active account not signed in (or never, since it was made) for ALERT_DORMANT_DAYS."""
    now = now or timezone.now()
    dormant = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(last_seen=Coalesce("last_login", "created_at"))
        .filter(last_seen__lt=now - datetime.timedelta(days=settings.ALERT_DORMANT_DAYS))
        .order_by()
        .values_list("pk", "last_seen", "last_login")
    )
    return sum(
        _raise(
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
    from accounts.models import PRIVILEGED_ROLES, Organisation

    police = Q(organisation__kind=Organisation.Kind.POLICE_PREVENT) | Q(groups__name__in=PRIVILEGED_ROLES)
    users = get_user_model().objects.filter(police).order_by()
    return users.annotate(target=Cast("pk", CharField())).values("target")


def raise_account_change_alerts(now=None) -> int:
    """Raise one alert per password set on a police account within ALERT_ACCOUNT_CHANGE_HOURS of its being made or
    changed (e-mail, roles, two-factor reset): how one person would take an account over. The user is the account."""
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.ALERT_ACCOUNT_CHANGE_HOURS)
    about_accounts = AuditEvent.objects.filter(target_type="accounts.user").order_by()
    passwords = list(
        about_accounts.filter(
            # Through a one-time link: the only way for someone other than its holder to set a password.
            action=PASSWORD_SET,
            details__how="link",
            occurred_at__gte=_since(now),
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
        raised += _raise(
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


@shared_task(name="audit.alerts.raise_alerts")
def raise_alerts() -> dict[str, int]:
    """Raise alerts on unusual access (scheduled every 15 minutes by Celery beat; safe to run twice)."""
    return raise_all_alerts()
