"""Bulk viewing: more than N distinct records touched within M minutes, found in one pass of window functions."""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import CharField, FloatField, Func, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from audit.models import Alert
from oversight.alerts.raising import local, lookback_start, personal_data_events, raise_alert


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
    for actor_id, at, records in bulk_viewing_peaks(lookback_start(now), now):
        moment = datetime.datetime.fromtimestamp(at, tz=datetime.UTC)
        key = (actor_id, local(moment).date())
        if key not in peaks or records > peaks[key][1]:
            peaks[key] = (moment, records)
    return sum(
        raise_alert(
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
