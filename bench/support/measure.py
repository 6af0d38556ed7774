"""Timing and reporting: percentiles, queries per request, query plans, the machine's load, targets met."""

import math
import os

from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile: the smallest value with `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def load_average() -> float:
    """Return the machine's load average over the last minute."""
    return os.getloadavg()[0]


def note_if_busy(load_before: float) -> None:
    """Say so when other work was running: the run's rows compare with each other, not with other runs."""
    if load_before > 0.5 * (os.cpu_count() or 1):
        print("  Note: other work was running; compare the rows of this run with each other, not with other runs.")


def print_targets(checks: list[tuple[str, bool, str]]) -> None:
    """Print each target (label, met, detail) as met or MISSED."""
    print("\nTargets:")
    for label, passed, detail in checks:
        print(f"  {'met   ' if passed else 'MISSED'} {label}: {detail}")


def count_queries(client, path: str) -> tuple[int, list[dict]]:
    """Return the queries one in-process GET runs (after one to warm the per-process caches), and the queries."""
    client.get(path)  # warm the per-process caches (officers, concern types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code} in-process")
    return len(captured.captured_queries), captured.captured_queries


def explain(sql: str, options: str = "") -> list[str]:
    """Return the lines of the query's plan (`options` as EXPLAIN takes them: "(ANALYZE, COSTS OFF)")."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {options} {sql}" if options else f"EXPLAIN {sql}")
        return [row[0] for row in cursor.fetchall()]
