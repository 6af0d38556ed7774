"""Benchmark: the nightly retention scan over a million closed cases, on PostgreSQL, in bounded memory.

Seeds (once, with INSERT ... SELECT generate_series) BENCH_RETENTION_CASES closed cases (1,000,000 by
default) spread over ten years of closures and the six outcomes, each with one referral whose answers give
a year of birth, into its own database (`make bench` passes RETENTION_BENCH_DATABASE_URL). Then, on an
empty queue:

1. the scan with the default rules (no under-18 periods): time, rows queued, peak resident memory;
2. the same scan again: it must queue nothing (idempotent), and how long finding nothing takes;
3. the scan from empty again with under-18 periods on two outcomes (the referral answers are read per
   batch);
4. the walk over every candidate once more under tracemalloc: the peak of Python allocations, which must
   not grow with the data (peak RSS is printed after each step: compare runs of different sizes).

Run with `make bench` (or `DATABASE_URL=... .venv/bin/python bench/retention.py`); `BENCH_RETENTION_CASES`
makes a smaller run.
"""

import support

# Production behaviour (bench/settings.py): with DEBUG on, Django would keep every query's SQL in memory.
support.setup()

import os  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from support import seeding  # noqa: E402
from support.measure import load_average  # noqa: E402

from accounts.models import Organisation, Role  # noqa: E402
from retention import scan  # noqa: E402
from retention.models import RetentionRule  # noqa: E402

SIZE = int(os.environ.get("BENCH_RETENTION_CASES", "1000000"))
# References of bench cases (real ones are "PC-" and random). Raise the version when the seed changes.
PREFIX = "RB1-"
OUTCOMES = ["nfa", "nfa_mistaken", "signposted", "police_led", "pursue", "channel"]
ZERO = {"character varying": "''", "text": "''", "integer": "0", "bigint": "0", "smallint": "0", "boolean": "false"}


def required_columns(table: str, provided: dict[str, str]) -> dict[str, str]:
    """Add a zero value for every NOT NULL column without a default that the seed does not set.

    Other apps add columns over time: the seed keeps working as long as an empty value is valid.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        missing = {name: ZERO.get(kind, "DEFAULT") for name, kind in cursor.fetchall() if name not in provided}
    return {**provided, **missing}


def insert_select(table: str, columns: dict[str, str], source: str) -> None:
    columns = required_columns(table, columns)
    names, values = ", ".join(columns), ", ".join(columns.values())
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {values} {source}")


def seed() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case WHERE reference LIKE %s", [PREFIX + "%"])
        if cursor.fetchone()[0] >= SIZE:
            return
    print(f"Seeding {SIZE:,} closed cases with a referral each (once)...", flush=True)
    started = time.perf_counter()
    organisation = seeding.organisation(
        "Retention bench school", kind=Organisation.Kind.PARTNER, sector=Organisation.Sector.EDUCATION
    )
    author = seeding.user("retention-bench@example.org", "Retention Bench", organisation, Role.REFERRER, password=None)
    outcomes = "(ARRAY[" + ", ".join(f"'{outcome}'" for outcome in OUTCOMES) + "])"
    closed = "now() - make_interval(days => ((g::bigint * 7919) % 3650)::int, secs => g % 86400)"
    with connection.cursor() as cursor:
        # A bench seed: row-capture and chain triggers (and FK checks) would only slow it down.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "DELETE FROM referrals_referral WHERE case_id IN (SELECT id FROM cases_case WHERE reference LIKE %s)",
            [PREFIX + "%"],
        )
        cursor.execute("DELETE FROM cases_case WHERE reference LIKE %s", [PREFIX + "%"])
    insert_select(
        "cases_case",
        {
            "id": "md5('rb-case-' || g)::uuid",
            "reference": f"'{PREFIX}' || lpad(g::text, 8, '0')",
            "status": "'closed'",
            "received_at": f"{closed} - interval '90 days'",
            "sector": "'education'",
            "assessment_due": f"({closed} - interval '80 days')::date",
            "referral_count": "1",
            "outcome": f"{outcomes}[1 + g % 6]",
            "closed_at": closed,
            "version": "1",
            "created_at": "now()",
            "updated_at": "now()",
        },
        f"FROM generate_series(1, {SIZE}) AS g",
    )
    insert_select(
        "referrals_referral",
        {
            "id": "md5('rb-referral-' || g)::uuid",
            "reference": "'RR1-' || lpad(g::text, 8, '0')",
            "status": "'closed'",
            "form_version": "'2024.1'",
            "author_id": str(author.pk),
            "organisation_id": str(organisation.pk),
            "channel": "'form'",
            "entered_by_police": "false",
            "answers": "jsonb_build_object('the-person', jsonb_build_object('dob_known', 'year', "
            "'birth_year', 1985 + g % 30))",
            "case_id": "md5('rb-case-' || g)::uuid",
            "feedback": "''",
            "created_at": f"{closed} - interval '90 days'",
            "updated_at": "now()",
            "submitted_at": f"{closed} - interval '90 days'",
        },
        f"FROM generate_series(1, {SIZE}) AS g",
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE referrals_referral")
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def empty_queue() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE retention_retentiondecision, retention_retentionreview RESTART IDENTITY CASCADE")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str):
    before = rss_mb()
    started = time.perf_counter()
    result = scan.scan()
    seconds = time.perf_counter() - started
    print(
        f"{label}: queued {result.queued:,} in {seconds:.1f} s ({result.queued / seconds:,.0f} a second); "
        f"peak RSS {rss_mb():.0f} MB (before: {before:.0f} MB)",
        flush=True,
    )
    return result, seconds


def main() -> None:
    print(f"Load average: {load_average():.2f}", flush=True)
    call_command("migrate", verbosity=0, skip_checks=True)
    seed()
    RetentionRule.objects.update(under_18_period=None)
    empty_queue()
    first, _ = timed(f"Scan of {SIZE:,} closed cases, default rules")
    again, _ = timed("Same scan again (must queue nothing)")
    assert again.queued == 0, "the scan is not idempotent"

    empty_queue()
    RetentionRule.objects.filter(key__in=["nfa", "channel"]).update(under_18_period=1)
    third, _ = timed("Scan from empty with under-18 periods on two outcomes (answers read per batch)")
    tracemalloc.start()
    started = time.perf_counter()
    fourth = scan.scan()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"The walk over every closed case again, under tracemalloc: queued {fourth.queued:,} in {seconds:.1f} s; "
        f"peak Python allocations {peak / 2**20:.1f} MB (batches of {scan.BATCH_SIZE:,})",
        flush=True,
    )
    RetentionRule.objects.update(under_18_period=None)
    bounded = peak < 100 * 2**20 and rss_mb() < 500
    print(
        f"Target: memory bounded by the batch, not the data (peak RSS under 500 MB): {'met' if bounded else 'MISSED'}"
    )
    assert first.queued > 0 and third.queued > 0 and fourth.queued == 0
    print(f"Load average after: {load_average():.2f}", flush=True)


if __name__ == "__main__":
    main()
