"""Benchmark: what auditing costs a list page, audit on and off in the same run, on PostgreSQL under gunicorn.

The police queue (first page, 50 cases of 100,000) audits the page as one event holding the shown ids
(`audit.services.record_list`). It is measured beside the same view with that write skipped for the
request (/bench/queue-unaudited/, bench/urls.py; the service itself has no switch): p50/p95 one request
at a time (interleaved), and p50/p95 and requests per second at 16 connections (passes in alternating
order, A B B A, so drifting background load hits both alike). Also counts the SQL statements each request
runs in-process: auditing must add two INSERTs (the event, and its ListedCase rows in one statement),
whatever the number of rows.

Then the cost of the database-side row capture (audit/row_capture.py): inserting cases with and without
the trigger on cases_case, in transactions that are rolled back.

Seeding and the signed-in session come from bench/case_queue.py, gunicorn and the load from bench/support/. Run with
`DATABASE_URL=postgres://... .venv/bin/python bench/audit_cost.py` (or `make bench`).
"""

import support

support.setup()

import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

import case_queue  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import seeding, sessions, web  # noqa: E402
from support.measure import load_average, print_targets  # noqa: E402
from support.web import CONNECTIONS, WORKERS, Scenario  # noqa: E402

from audit import row_capture  # noqa: E402
from cases.models import Case  # noqa: E402

SERIAL_ROUNDS = 300
SERIAL_SECONDS = 60
ALTERNATING = [0, 1, 1, 0]  # two things measured in turn: A B B A, so drifting load hits both alike
PASSES = 3 * len(ALTERNATING)  # audited and unaudited at 16 connections, A B B A three times
LISTED_TABLE = "audit_listedcase"
AUDIT_TABLE = "audit_auditevent"
CAPTURE_ROWS = 2000  # cases per bulk insert, in the row-capture measurement
CAPTURE_SINGLE = 300  # cases inserted one statement each
CAPTURE_REPEATS = 5


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    seeding.migrate("bench/audit_cost.py needs PostgreSQL: set DATABASE_URL.")
    officers = case_queue.seed_users()
    case_queue.seed_cases(officers)
    session = case_queue.signed_in_session(officers[0])
    try:
        queue_cost(session, sessions.cookie(session))
    finally:
        session.delete()
    row_capture_cost()


def audit_statements(captured: list[str]) -> list[str]:
    return [sql for sql in captured if AUDIT_TABLE in sql or LISTED_TABLE in sql]


def work(captured: list[str]) -> list[str]:
    """The statements that are not transaction control (Django logs BEGIN and COMMIT too)."""
    return [sql for sql in captured if sql not in ("BEGIN", "COMMIT")]


def queue_cost(session, cookie: str) -> None:
    audited = Scenario("audited", "queue, first page, audit on", "/cases/", True, 50)
    unaudited = Scenario("unaudited", "queue, first page, audit off (bench)", "/bench/queue-unaudited/", True, 50)
    scenarios = [audited, unaudited]
    load_before = load_average()
    print(
        f"Audit cost of the police queue over {Case.objects.count():,} cases; gunicorn {WORKERS} sync "
        f"workers, PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPUs, load average "
        f"{load_before:.1f}",
        flush=True,
    )
    with web.gunicorn() as port:
        client = sessions.client(session)
        for scenario in scenarios:
            web.prepare(port, scenario, client, cookie)
        write_times = audit_write_times(client, audited.path)
        print("  one request at a time, the views interleaved...", flush=True)
        web.serial(port, scenarios, cookie, rounds=SERIAL_ROUNDS, seconds=SERIAL_SECONDS, seed=5)
        print(f"  {CONNECTIONS} connections, {PASSES} passes in alternating order...", flush=True)
        for n in range(PASSES):
            web.concurrent(port, scenarios[ALTERNATING[n % len(ALTERNATING)]], cookie)
    report(audited, unaudited, load_before, write_times)


def audit_write_times(client: Client, path: str, requests: int = 30) -> dict[str, float]:
    """Median in-process milliseconds of the queue's audit write, whole and its INSERT statement alone."""
    from cases.views import queue as views

    whole, statement = "record_list (event built, two INSERTs)", "the event's INSERT, its triggers included"
    spent: dict[str, list[float]] = {whole: [], statement: []}
    original = views.record_list

    def timed(**kwargs):
        started = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            spent[whole].append((time.perf_counter() - started) * 1000)

    def timed_statement(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if AUDIT_TABLE in sql:
                spent[statement].append((time.perf_counter() - started) * 1000)

    views.record_list = timed
    try:
        with connection.execute_wrapper(timed_statement):
            for _ in range(requests):
                client.get(path)
    finally:
        views.record_list = original
    return {label: statistics.median(values) for label, values in spent.items() if values}


def report(audited, unaudited, load_before: float, write_times: dict[str, float]) -> None:
    web.print_table([audited, unaudited], 40, load_before, "statements per request")

    ratio = audited.concurrent.rate / unaudited.concurrent.rate
    serial_added = audited.serial.p50 - unaudited.serial.p50
    written = audit_statements(audited.captured)
    print(
        f"\nThroughput with audit / without: {ratio:.3f} ({(1 - ratio) * 100:+.1f}% cost) at {CONNECTIONS} "
        f"connections; one at a time audit adds {serial_added:.1f} ms to p50 "
        f"({audited.serial.p50 / unaudited.serial.p50:.3f}x)."
    )
    print(f"Statements touching {AUDIT_TABLE} in one audited request ({len(written)}):")
    for sql in written:
        print(f"    {sql[:140]}{'...' if len(sql) > 140 else ''}")
    print("In-process, median: " + ", ".join(f"{label}: {ms:.2f} ms" for label, ms in write_times.items()))
    checks = [
        (
            f"audit costs at most 10% of the queue's throughput at {CONNECTIONS} connections",
            ratio >= 0.9,
            f"{audited.concurrent.rate:.0f} vs {unaudited.concurrent.rate:.0f} req/s",
        ),
        (
            "a fixed number of statements per request (two INSERTs), whatever the number of rows (50 here)",
            len(written) == 2
            and all(sql.startswith("INSERT") for sql in written)
            and not audit_statements(unaudited.captured)
            and len(work(audited.captured)) - len(work(unaudited.captured)) == 2,
            f"{len(work(audited.captured))} vs {len(work(unaudited.captured))} statements besides BEGIN/COMMIT "
            f"({audited.queries} vs {unaudited.queries} in all, BEGIN/COMMIT included)",
        ),
    ]
    print_targets(checks)


def _cases(rng: random.Random, count: int, start: int) -> list[Case]:
    now = timezone.now()
    return [
        Case(
            reference=f"PBX-{start + n:08d}",
            status=Case.Status.NEW,
            received_at=now - timedelta(days=rng.uniform(0, 30)),
            sector="education",
            assessment_due=timezone.localdate(now),
            referral_count=1,
        )
        for n in range(count)
    ]


def _timed_inserts(capture: bool, rng: random.Random) -> tuple[float, float]:
    """Insert cases (one bulk statement, then one statement each); return ms per row of each; roll back."""
    with transaction.atomic():
        if not capture:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE cases_case DISABLE TRIGGER cases_case_row_capture")
        started = time.perf_counter()
        Case.objects.bulk_create(_cases(rng, CAPTURE_ROWS, 0))
        bulk = (time.perf_counter() - started) * 1000 / CAPTURE_ROWS
        singles = _cases(rng, CAPTURE_SINGLE, CAPTURE_ROWS)
        started = time.perf_counter()
        for case in singles:
            case.save(force_insert=True)
        single = (time.perf_counter() - started) * 1000 / CAPTURE_SINGLE
        transaction.set_rollback(True)
    return bulk, single


def row_capture_cost() -> None:
    """Time inserts into cases_case with the row-capture trigger and with it disabled, interleaved."""
    if "cases_case" not in row_capture.CAPTURED_TABLES:
        return
    rng = random.Random(6)
    times = {True: ([], []), False: ([], [])}
    _timed_inserts(True, rng)  # warm up
    for n in range(CAPTURE_REPEATS * 2):
        capture = ALTERNATING[n % 4] == 0
        bulk, single = _timed_inserts(capture, rng)
        times[capture][0].append(bulk)
        times[capture][1].append(single)
    print(f"\nRow capture on cases_case (trigger on and off, interleaved, median of {CAPTURE_REPEATS}, rolled back):")
    for label, index in ((f"bulk_create of {CAPTURE_ROWS:,} cases", 0), ("one INSERT per case (save)", 1)):
        on, off = statistics.median(times[True][index]), statistics.median(times[False][index])
        print(f"  {label:34} {on * 1000:7.1f} us/row with, {off * 1000:7.1f} without: {on / off:.2f}x")


if __name__ == "__main__":
    main()
