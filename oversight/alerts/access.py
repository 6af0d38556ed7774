"""Rules about who opened what, and when: outside their caseload, out of hours, a case about someone named like them."""

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractMinute, TruncDate
from django.utils import timezone

from accounts.models import User
from audit.models import Alert, AuditEvent
from core.calendar import closed_days
from oversight.alerts.raising import lookback_start, personal_data_events, raise_alert
from referrals.matching import NAME_KINDS, keys_for
from referrals.models import PersonKey

BREAK_GLASS = "case.break_glass"


def raise_outside_caseload_alerts(now=None) -> int:
    """Raise one alert per user, case and day on which they opened the case outside their caseload."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    rows = (
        AuditEvent.objects.filter(
            action=BREAK_GLASS, occurred_at__gte=lookback_start(now), occurred_at__lte=now, actor__isnull=False
        )
        .exclude(case_id=None)
        .order_by()
        .values("actor_id", "case_id", day=TruncDate("occurred_at", tzinfo=tz))
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"), first_event=Min("id"))
    )
    return sum(
        raise_alert(
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
    since = lookback_start(now)
    # A bank holiday or a local closure day is out of hours all day, like a weekend.
    closed = closed_days(range(timezone.localdate(since).year, timezone.localdate(now).year + 1))
    rows = (
        personal_data_events(since, now)
        .annotate(
            minute_of_day=ExtractHour("occurred_at", tzinfo=tz) * 60 + ExtractMinute("occurred_at", tzinfo=tz),
            weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz),
            local_day=TruncDate("occurred_at", tzinfo=tz),
        )
        .exclude(
            Q(weekday__in=settings.ALERT_WORKING_DAYS, minute_of_day__gte=start, minute_of_day__lt=end)
            & ~Q(local_day__in=sorted(closed))
        )
        .values("actor_id", day=TruncDate("occurred_at", tzinfo=tz))
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    )
    return sum(
        raise_alert(
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
    words = full_name.replace(",", " ").split()
    if len(words) < 2:
        return set()
    person = {"the-person": {"forenames": words[0], "surname": words[-1]}}
    return {(kind, value) for kind, value in keys_for(person) if kind in NAME_KINDS}


def raise_name_match_alerts(now=None) -> int:
    """Raise one alert per user, case and day they accessed a case whose person referred has a name like theirs."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    events = personal_data_events(lookback_start(now), now).exclude(case_id=None)
    names = User.objects.filter(pk__in=events.values("actor_id")).values_list("pk", "full_name")
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
        raise_alert(
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
