"""SQL pieces the dashboards need that Django lacks: a continuous percentile and a duration in seconds.

PostgreSQL has `percentile_cont`; SQLite (the default for `make run` and the tests) gets the same
function as a Python aggregate registered on the connection, so both answer the same figures.
"""

import math

from django.db.models import Aggregate, FloatField, Func


class _PercentileCont:
    """SQLite aggregate: percentile_cont(fraction) over the non-null values, as PostgreSQL computes it."""

    def __init__(self):
        self.values = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return percentile_cont(self.values, self.fraction)


def percentile_cont(values, fraction: float) -> float | None:
    """Return the value at this fraction of the sorted values, interpolating linearly (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


class Percentile(Aggregate):
    """The continuous percentile (0.5 is the median) of an expression, ignoring nulls."""

    name = "Percentile"
    function = "percentile_cont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= float(fraction) <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_aggregate("reports_percentile_cont", 2, _PercentileCont)
        return self.as_sql(
            compiler,
            connection,
            function="reports_percentile_cont",
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


class DurationSeconds(Func):
    """Seconds from `start` to `end` (two datetimes), as a float; null when either is null."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)", arg_joiner=") - julianday("
        )
