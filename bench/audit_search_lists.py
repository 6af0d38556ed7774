"""The audit search bench's seed, part two: the list-page events and their ListedCase rows.

What is seeded and why is in bench/audit_search.py, which runs it after part one (bench/audit_search_data.py).
"""

import time
from datetime import timedelta

from audit_search_data import (
    ADDRESS,
    DAYS,
    EVENT_COLUMNS,
    GENERATED,
    HOT_CASES,
    HOT_SHARE,
    LIST_ACTIONS,
    LIST_EVENTS,
    LIST_MARK,
    LIST_PAGE,
    OCCURRED_AT,
    USERS,
    number_bench_users,
    secondary_indexes_dropped,
    step,
)
from django.db import connection, transaction
from django.utils import timezone
from support.seeding import execute

from accounts.models import Organisation
from audit.models import AuditEvent


def lists_seeded() -> bool:
    return AuditEvent.objects.filter(action="bench.seeded", request_id=LIST_MARK).exists()


def seed_lists() -> None:
    """The list-page events (see the module's docstring), once per LIST_MARK: after `seed`, in one transaction.

    Each page is 50 neighbouring cases in the order of the queue (newest received first), from the hot
    cases (wrapping round them) or from the rest (power-skewed to the recent ones); `ids` are the cases,
    or their referrals for a referral list. The mark is written in the same transaction: a seed cut short
    leaves nothing behind, and the next run does it again.
    """
    if LIST_EVENTS <= 0 or lists_seeded():
        return
    print(f"Seeding {LIST_EVENTS:,} list-page events, 50 cases each (once; minutes)...", flush=True)
    started = clock = time.perf_counter()
    organisation = Organisation.objects.get(name="Bench audit police")
    weighted = [(action, record_type) for action, record_type, weight in LIST_ACTIONS for _ in range(weight)]
    execute("SET maintenance_work_mem = '1GB'")
    execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")  # a throwaway database only (see `seed`)
    try:
        with transaction.atomic():
            with secondary_indexes_dropped():
                number_bench_users()
                # The bench's cases in the queue's order (newest received first), with the referral of each.
                execute(
                    """
                    CREATE TEMP TABLE bench_listed ON COMMIT DROP AS
                    SELECT row_number() OVER (ORDER BY c.received_at DESC, c.id) AS n, c.id::text AS case_id,
                        r.id::text AS referral_id
                    FROM cases_case c JOIN referrals_referral r ON r.case_id = c.id
                    WHERE c.reference LIKE 'PA%%' AND r.reference LIKE 'PA%%'
                    """
                )
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM bench_listed")
                    listed = cursor.fetchone()[0]
                hot = max(1, min(HOT_CASES, listed // 4))
                width = min(LIST_PAGE, hot)
                # What a page shows, row by row: the hot cases, the hot cases again (so a page of them can wrap
                # round from the last to the first), then the other cases.
                execute(
                    """
                    CREATE TEMP TABLE bench_pages ON COMMIT DROP AS
                    SELECT n, case_id, referral_id FROM bench_listed WHERE n <= %(hot)s
                    UNION ALL SELECT n + %(hot)s, case_id, referral_id FROM bench_listed WHERE n <= %(hot)s
                    UNION ALL SELECT n + %(hot)s, case_id, referral_id FROM bench_listed WHERE n > %(hot)s
                    """,
                    {"hot": hot},
                )
                execute("CREATE TEMP TABLE bench_list_actions (n int PRIMARY KEY, action text, record_type text) "
                        "ON COMMIT DROP")  # fmt: skip
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO bench_list_actions VALUES (%s, %s, %s)",
                        [(n + 1, action, record_type) for n, (action, record_type) in enumerate(weighted)],
                    )
                execute("ALTER TABLE bench_users ADD PRIMARY KEY (n); ALTER TABLE bench_pages ADD PRIMARY KEY (n)")
                execute("ANALYZE bench_users; ANALYZE bench_pages; ANALYZE bench_list_actions")
                hot_events = round(LIST_EVENTS * HOT_SHARE)
                shared = {"organisation": organisation.pk, "weights": len(weighted), "width": width}
                # A page starts after row `first` + power(random(), skew) * span: hot pages anywhere among the hot
                # cases; the others below them, the recent cases more often (the queue's earlier pages).
                insert_list_events({**shared, "part": "hot", "count": hot_events, "first": 0, "skew": 1, "span": hot})
                insert_list_events(
                    {**shared, "part": "rest", "count": LIST_EVENTS - hot_events, "first": 2 * hot, "skew": 2,
                     "span": max(0, listed - hot - width)}
                )  # fmt: skip
                clock = step(f"list-page events ({hot} hot cases)", clock)
                # Their ListedCase rows, as `record_list` writes them: one per case shown, the key built after.
                execute("ALTER TABLE audit_listedcase DROP CONSTRAINT audit_listedcase_pkey")
                execute(
                    """
                    INSERT INTO audit_listedcase (case_id, occurred_at, event_id)
                    SELECT (listed.value #>> '{}')::uuid, e.occurred_at, e.id
                    FROM audit_auditevent e, jsonb_array_elements(e.details -> 'case_ids') AS listed
                    WHERE e.case_id IS NULL AND e.details ? 'case_ids'
                    """
                )
                clock = step("their listed-case rows", clock)
                execute("ALTER TABLE audit_listedcase ADD PRIMARY KEY (case_id, occurred_at, event_id)")
            clock = step("indexes rebuilt", clock)
            execute(
                "INSERT INTO audit_auditevent (occurred_at, actor_roles, action, target_type, target_id, request_id, "
                "reason, details, prev_hash, hash) VALUES (%s, '', 'bench.seeded', '', '', %s, '', '{}', '', '')",
                [timezone.now() - timedelta(days=DAYS + 1), LIST_MARK],
            )
    finally:
        execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    execute("VACUUM ANALYZE audit_auditevent")
    execute("VACUUM ANALYZE audit_listedcase")
    step("vacuum and analyze", clock)
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


# The list-page events: each shows `width` neighbouring rows of bench_pages, from a row picked by `first`, `skew`
# and `span` (see `seed_lists`).
LIST_EVENTS_SQL = f"""
    INSERT INTO audit_auditevent ({EVENT_COLUMNS})
    SELECT
        {OCCURRED_AT},
        u.id, 'prevent_officer', %(organisation)s, a.action, a.record_type, '', NULL,
        {ADDRESS},
        substr(md5(%(part)s || r.g), 1, 32), '',
        jsonb_build_object(
            'ids', CASE WHEN a.record_type = 'referrals.referral' THEN p.referral_ids ELSE p.case_ids END,
            'case_ids', p.case_ids),
        '', ''
    FROM (
        SELECT {GENERATED},
            %(first)s + floor(power(random(), %(skew)s) * %(span)s)::int AS start
        FROM generate_series(1, %(count)s) AS g
    ) r
    JOIN bench_users u ON u.n = r.user_n
    JOIN bench_list_actions a ON a.n = r.action_n
    CROSS JOIN LATERAL (
        SELECT jsonb_agg(l.case_id ORDER BY l.n) AS case_ids, jsonb_agg(l.referral_id ORDER BY l.n) AS referral_ids
        FROM bench_pages l WHERE l.n BETWEEN r.start + 1 AND r.start + %(width)s
    ) p
"""  # noqa: S608  (constants only)


def insert_list_events(values: dict) -> None:
    """`count` list-page events, each showing `width` neighbouring rows of bench_pages (see `seed_lists`)."""
    if values["count"] <= 0:
        return
    execute(
        LIST_EVENTS_SQL,
        {"days": DAYS, "users": USERS, **values},
    )
