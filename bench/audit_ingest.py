"""Benchmark: batched audit ingestion through `record_many` (one COPY per batch), chain trigger on, PostgreSQL.

Writes BENCH_AUDIT_EVENTS events (100,000 by default), one event per record, in batches of 50 and of 1,000
(a bulk import), one transaction per batch, and prints events a second and the CPU per event (client and
database: the machine may be shared). For comparison, the same events as plain rows through one multi-row
INSERT (psycopg2's execute_values, no model instances), in batches of 1,000. Then times the verifier over
the whole chain (up to VERIFY_UP_TO events unless BENCH_AUDIT_VERIFY is set). Run with `make bench`.
"""

import support

support.setup("config.settings", unless_set=True)

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg2.extras import execute_values  # noqa: E402
from support import seeding  # noqa: E402
from support.measure import load_average, print_targets  # noqa: E402

from accounts.models import Organisation, Role, User  # noqa: E402
from audit import chain  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from audit.services import record_many  # noqa: E402
from cases.models import Case  # noqa: E402

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "100000"))
TARGET_PER_SECOND = 20_000
# The verifier walks every event: over a bench database grown by many runs, time it only when asked.
VERIFY_UP_TO = 2_000_000


def officer() -> User:
    organisation = seeding.organisation(
        "Bench audit team", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
    )
    return seeding.user("bench-audit@example.org", "Bench Audit", organisation, Role.PREVENT_OFFICER)


def backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend so far (None unless the server runs on this machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_COLUMNS = (
    "occurred_at, actor_id, actor_roles, actor_organisation_id, action, target_type, target_id, case_id, "
    "ip_address, request_id, reason, details, prev_hash, hash"
)


def insert_rows(user: User, targets: list) -> int:
    """The same events as record_many, as plain rows through one INSERT (no model instances): the floor."""
    now, roles, details = timezone.now(), ",".join(user.role_names), json.dumps({"page": 1})
    rows = [
        (now, user.pk, roles, user.organisation_id, "case.list_viewed", "cases.case", str(target.pk), target.pk,
         None, "", "", details, "", "")
        for target in targets
    ]  # fmt: skip
    insert = f"INSERT INTO audit_auditevent ({_COLUMNS}) VALUES %s"  # noqa: S608  (constants only)
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, insert, rows, page_size=len(rows))
    return len(rows)


def ingest(user: User, batch: int, write=None) -> tuple[float, str]:
    """Write EVENTS events in batches, one transaction each; return events a second and the CPU per event."""
    cases = [Case(pk=uuid.uuid4()) for _ in range(batch)]
    write = write or (lambda user, targets: record_many(by=user, action="case.list_viewed", targets=targets, page=1))
    batches, before = EVENTS // batch, AuditEvent.objects.count()
    client, database, started = time.process_time(), backend_cpu_seconds(), time.perf_counter()
    events = 0
    for _ in range(batches):
        with transaction.atomic():
            events += write(user, cases)
    elapsed = time.perf_counter() - started
    written = AuditEvent.objects.count() - before
    if events != batches * batch or written != events:
        raise RuntimeError(f"{batches * batch:,} events asked, {events:,} reported, {written:,} in the table")
    cpu = f"CPU per event: client {(time.process_time() - client) / events * 1e6:.0f} µs"
    if database is not None:
        cpu += f", database {(backend_cpu_seconds() - database) / events * 1e6:.0f} µs"
    return events / elapsed, cpu


def main():
    seeding.migrate()
    user = officer()
    print(
        f"Audit ingestion through record_many, one COPY and one transaction per batch ({EVENTS:,} events each; "
        f"load average {load_average():.1f}):",
        flush=True,
    )
    rates = {}
    for batch in (50, 1000):
        rates[batch], cpu = ingest(user, batch)
        print(f"  batches of {batch:>5}, record_many (COPY):     {rates[batch]:>7,.0f} events/s ({cpu})", flush=True)
    plain, cpu = ingest(user, 1000, write=insert_rows)
    print(f"  batches of  1000, plain rows, one INSERT: {plain:>7,.0f} events/s ({cpu})")
    print("  (every path chained: the hash-chain trigger runs for each row; plain rows: no model instances)")
    print(f"  record_many (COPY) / plain-rows INSERT, batches of 1000: {rates[1000] / plain:.2f}x")
    # The target is for batched ingestion (imports, system events); a list page writes one event (record_list),
    # so batches of 50 are shown for the reading only.
    print_targets(
        [
            (
                f"batched ingestion at least {TARGET_PER_SECOND:,} events/s (batches of 1000)",
                rates[1000] >= TARGET_PER_SECOND,
                f"{rates[1000]:,.0f}/s",
            )
        ]
    )
    total = AuditEvent.objects.count()
    if total > VERIFY_UP_TO and not os.environ.get("BENCH_AUDIT_VERIFY"):
        print(f"  verify_audit not timed over {total:,} events (set BENCH_AUDIT_VERIFY=1 to time it)")
        return
    started = time.perf_counter()
    result = chain.verify(anchors=[])
    elapsed = time.perf_counter() - started
    state = "unbroken" if result.ok else f"BROKEN: {result.broken.message}"
    print(f"  verify_audit over {result.events:,} events: {elapsed:.1f} s ({result.events / elapsed:,.0f}/s), {state}")


if __name__ == "__main__":
    main()
