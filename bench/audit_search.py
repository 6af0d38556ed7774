"""Benchmark: the supervisors' audit search on 10 million audit events, on PostgreSQL.

Seeds (once, versioned by SEED_VERSION) 5,000 users, 100,000 cases each with a referral and its person
keys, and 10,000,000 audit events spread over two years (working hours mostly, a few heavy users and
busy cases, a few dozen actions), in one INSERT ... SELECT over generate_series with the table's user
triggers (append-only guard, hash chain) disabled and its secondary indexes dropped and rebuilt after:
a throwaway bench database only. Then it times the search pages in-process through Django's test
Client as a signed-in supervisor (session, second factor, the page, its audit INSERT; no HTTP server),
one request at a time over many different users, cases, actions and people, and prints p50/p95, the
queries per page, and the plan (EXPLAIN ANALYZE) of each page's main query. Target: p95 under 100 ms.
Before timing, the search indexes are read into the OS page cache (pg_prewarm, "prefetch"), as on a server
that has been answering searches: straight after the seed, a person search over dozens of cases reads
dozens of index pages from disk (last measured cold: name-only person search p95 119 ms, the rest under 50).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prevent_bench_h3 .venv/bin/python bench/audit_search.py

Then, as a separate step with its own mark (the 10M above are not seeded again), 2,000,000 list-page events
(`case.queue_viewed`, `referral.list_viewed`, `case.list_viewed`: one event per page, as
`audit.services.record_list` writes them, `details` holding the page's 50 ids and its case ids, and a
`ListedCase` row per case shown) over the same two years. Skewed: a tenth of them are pages of the 300
most recently received ("hot") cases, so each hot case is in about 33,000 list events; the rest are pages
further down, recent cases more often (from a few thousand events each to a few hundred for the oldest).
The bench pages for a hot case (its history, a search by its reference, a person search that finds it)
read its list events newest first, one page of them.

BENCH_AUDIT_EVENTS, BENCH_AUDIT_USERS, BENCH_AUDIT_CASES change the sizes (and force a new seed);
BENCH_AUDIT_LIST_EVENTS the list-page events (a fifth of BENCH_AUDIT_EVENTS unless given).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts import auth  # noqa: E402
from accounts import services as accounts_services  # noqa: E402
from accounts.models import Organisation, Role, User  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from cases.models import Case  # noqa: E402
from oversight import selectors  # noqa: E402
from referrals import matching  # noqa: E402
from referrals.models import PersonKey, Referral  # noqa: E402

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "10000000"))
USERS = int(os.environ.get("BENCH_AUDIT_USERS", "5000"))
CASES = int(os.environ.get("BENCH_AUDIT_CASES", "100000"))
# Raise when the seed changes: a different version or size seeds again from scratch.
SEED_VERSION = 1
SEED_MARK = f"bench-v{SEED_VERSION}-{EVENTS}-{USERS}-{CASES}"  # kept in an event's request_id (32 characters)
# The list-page events: their own step and mark, so adding them does not seed the 10M events again.
LIST_EVENTS = int(os.environ.get("BENCH_AUDIT_LIST_EVENTS", str(EVENTS // 5)))
LIST_SEED_VERSION = 1
LIST_MARK = f"bench-lists-v{LIST_SEED_VERSION}-{LIST_EVENTS}-{CASES}"  # request_id: 32 characters at most
HOT_CASES = 300  # the most recently received cases: on the queue's first pages, in many list events
HOT_SHARE = 0.1  # of the list-page events, pages of hot cases
LIST_PAGE = 50  # cases a list page shows
# (action, record type listed, weight): the list pages that record cases (see audit.services.record_list).
LIST_ACTIONS = [
    ("case.queue_viewed", "cases.case", 250),
    ("referral.list_viewed", "referrals.referral", 60),
    ("case.list_viewed", "cases.case", 40),
]
PREFIX = "PA"  # bench case and referral references: PA + 8 digits (real ones are PC-/PR- and random)
EMAIL = "bench-audit-{}@example.org"
DAYS = 730
REQUESTS = 100  # timed requests per scenario, each with different values where the scenario has them
WARM_UP = 5
TARGET_P95_MS = 100
BUDGET_S = 60  # timed seconds per page at most (but MIN_REQUESTS at least): a page of seconds stops early
MIN_REQUESTS = 20

SURNAMES = [
    f"{stem}{suffix}"
    for stem in ("Khan", "Smith", "Jones", "Ali", "Novak", "Brown", "Patel", "Wilson", "Taylor", "Evans")
    + ("Hussain", "Walker", "Wright", "Roberts", "Thompson", "White", "Okafor", "Nowak", "Kowalski", "Murphy")
    for suffix in ("", "son", "ley", "ford", "er", "ski", "ov", "ini", "ton", "well")
]
FORENAMES = [
    "Mohammed", "Oliver", "Jack", "Harry", "Noah", "Amelia", "Olivia", "Isla", "Ava", "Adam",
    "Yusuf", "Zara", "Leo", "Freya", "Ibrahim", "Maya", "Ethan", "Aisha", "Lucas", "Grace",
]  # fmt: skip

# (action, concerns a case, weight): what a service like this writes, roughly how often.
ACTIONS = [
    ("case.viewed", True, 300),
    ("case.queue_viewed", True, 250),
    ("referral.viewed", True, 80),
    ("referral.list_viewed", True, 60),
    ("case.list_viewed", True, 40),
    ("auth.signed_in", False, 40),
    ("auth.password_accepted", False, 40),
    ("auth.signed_out", False, 25),
    ("case.note_added", True, 20),
    ("case.moved", True, 15),
    ("referral.draft_saved", False, 30),
    ("referral.draft_viewed", False, 15),
    ("attachment.downloaded", True, 10),
    ("person.searched", False, 10),
    ("case.reassigned", True, 5),
    ("case.check_recorded", True, 5),
    ("case.assessed", True, 4),
    ("case.decided", True, 4),
    ("case.decision_signed_off", True, 3),
    ("case.viewed_by_provider", True, 6),
    ("case.disclosed_to_provider", True, 1),
    ("case.provider_access_revoked", True, 1),
    ("case.disclosed_to_panel", True, 1),
    ("panel.agenda_viewed", True, 3),
    ("panel.decided", True, 1),
    ("case.support_plan_saved", True, 2),
    ("case.consent_recorded", True, 1),
    ("case.progress_recorded", True, 3),
    ("case.reviewed", True, 1),
    ("case.break_glass", True, 2),
    ("referral.submitted", True, 2),
    ("case.opened", True, 2),
    ("advice.viewed", False, 4),
    ("advice.list_viewed", False, 4),
    ("auth.sign_in_failed", False, 3),
    ("auth.second_factor_failed", False, 1),
    ("user.viewed", False, 1),
    ("mfa.device_enrolled", False, 1),
    ("audit.searched", False, 1),
    ("case.merged", True, 1),
]


# --- seeding -------------------------------------------------------------------------------------


def seeded() -> bool:
    return AuditEvent.objects.filter(action="bench.seeded", request_id=SEED_MARK).exists()


def execute(sql: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def step(message: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {message} ({now - started:.0f} s)", flush=True)
    return now


def seed() -> None:
    """Users, cases with a referral and person keys each, then the audit events; once per SEED_MARK."""
    if seeded():
        return
    print(f"Seeding {USERS:,} users, {CASES:,} cases and {EVENTS:,} audit events (once; minutes)...", flush=True)
    started = clock = time.perf_counter()
    tables = ["audit_auditevent", "cases_case", "referrals_referral", "referrals_personkey", "accounts_user"]
    execute("SET maintenance_work_mem = '512MB'")
    for table in tables:  # the append-only guard, the hash chain, row capture: a throwaway database only
        execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        with transaction.atomic():
            execute("TRUNCATE audit_auditevent")
            organisation = seed_users()
            clock = step("users", clock)
            seed_cases_and_people()
            clock = step("cases, referrals and person keys", clock)
        seed_events(organisation)
        clock = step("audit events, indexes rebuilt", clock)
    finally:
        for table in tables:
            execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    # As autovacuum would leave an append-only table: statistics, and the visibility map for index-only scans.
    for table in ("audit_auditevent", "cases_case", "referrals_referral", "referrals_personkey", "accounts_user"):
        execute(f"VACUUM ANALYZE {table}")
    step("vacuum and analyze", clock)
    AuditEvent.objects.create(occurred_at=timezone.now() - timedelta(days=DAYS + 1), action="bench.seeded",
                              request_id=SEED_MARK)  # fmt: skip
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def seed_users() -> Organisation:
    organisation = Organisation.objects.filter(name="Bench audit police").first() or Organisation.objects.create(
        name="Bench audit police", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
    )
    existing = User.objects.filter(email__startswith="bench-audit-").count()
    if existing < USERS:
        User.objects.bulk_create(
            [
                User(
                    email=EMAIL.format(n),
                    full_name=f"Audit Bench User {n:04d}",
                    organisation=organisation,
                    password="!",  # unusable
                )
                for n in range(existing, USERS)
            ],
            batch_size=2000,
        )
    return organisation


def person(rng: random.Random) -> dict:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(55 * 365))
    return {
        "the-person": {
            "surname": rng.choice(SURNAMES),
            "forenames": rng.choice(FORENAMES),
            "dob_known": "exact",
            "date_of_birth": born.isoformat(),
        },
        "contact-details": {"postcode": f"NR{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}Q"},
    }


def seed_cases_and_people() -> None:
    """100,000 cases, each with one submitted referral and its person keys (what the person search looks up)."""
    if Case.objects.filter(reference__startswith=PREFIX).count() >= CASES:
        return
    execute(
        "DELETE FROM referrals_personkey WHERE referral_id IN "
        "(SELECT id FROM referrals_referral WHERE reference LIKE 'PA%%')"
    )
    execute("DELETE FROM referrals_referral WHERE reference LIKE 'PA%%'")
    execute("DELETE FROM cases_case WHERE reference LIKE 'PA%%'")
    author = User.objects.get(email=EMAIL.format(0))
    partner = Organisation.objects.filter(name="Bench audit school").first() or Organisation.objects.create(
        name="Bench audit school", kind=Organisation.Kind.PARTNER, sector=Organisation.Sector.EDUCATION
    )
    rng = random.Random(5)
    now = timezone.now()
    for start in range(0, CASES, 5000):
        cases, referrals = [], []
        for n in range(start, min(start + 5000, CASES)):
            received = now - timedelta(seconds=rng.uniform(0, DAYS * 86400))
            case = Case(
                reference=f"{PREFIX}{n:08d}",
                status=Case.Status.CLOSED,
                received_at=received,
                sector=Organisation.Sector.EDUCATION,
                assessment_due=received.date() + timedelta(days=7),
            )
            cases.append(case)
            referrals.append(
                Referral(
                    reference=f"{PREFIX}R{n:07d}",
                    author=author,
                    organisation=partner,
                    status=Referral.Status.CLOSED,
                    answers=person(rng),
                    case=case,
                    submitted_at=received,
                )
            )
        Case.objects.bulk_create(cases)
        Referral.objects.bulk_create(referrals)
        PersonKey.objects.bulk_create(
            PersonKey(referral=referral, kind=kind, value=value)
            for referral in referrals
            for kind, value in matching.keys_for(referral.answers)
        )


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, definition) of the audit table's indexes that no constraint owns: dropped and rebuilt by a seed."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE tablename = 'audit_auditevent'
              AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'audit_auditevent'::regclass)
            """
        )
        return cursor.fetchall()


def seed_events(organisation: Organisation) -> None:
    """10 million events in one INSERT ... SELECT, with the secondary indexes rebuilt afterwards."""
    indexes = secondary_indexes()
    weighted = [(action, on_case) for action, on_case, weight in ACTIONS for _ in range(weight)]
    with transaction.atomic():
        # Django's foreign keys are checked at commit: check them row by row, so the indexes can be built here.
        execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in indexes:
            execute(f'DROP INDEX "{name}"')
        execute("CREATE TEMP TABLE bench_users ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) AS n, id "
                "FROM accounts_user WHERE email LIKE 'bench-audit-%%'")  # fmt: skip
        execute("CREATE TEMP TABLE bench_cases ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) AS n, id "
                "FROM cases_case WHERE reference LIKE 'PA%%'")  # fmt: skip
        execute("CREATE TEMP TABLE bench_actions (n int PRIMARY KEY, action text, on_case boolean) ON COMMIT DROP")
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_actions VALUES (%s, %s, %s)",
                [(n + 1, action, on_case) for n, (action, on_case) in enumerate(weighted)],
            )
        execute("ALTER TABLE bench_users ADD PRIMARY KEY (n); ALTER TABLE bench_cases ADD PRIMARY KEY (n)")
        execute("ANALYZE bench_users; ANALYZE bench_cases; ANALYZE bench_actions")
        # Per row: a day in the last two years, a time (working hours mostly), a user (a few are busy), an
        # action by weight, and a case (some are busy) for the actions about one.
        execute(
            """
            INSERT INTO audit_auditevent (occurred_at, actor_id, actor_roles, actor_organisation_id, action,
                target_type, target_id, case_id, ip_address, request_id, reason, details, prev_hash, hash)
            SELECT
                LEAST(now(), date_trunc('day', now() - r.day * interval '1 day')
                    + CASE WHEN r.hour < 0.9 THEN interval '8 hours' + r.minute * interval '10 hours'
                           ELSE r.minute * interval '24 hours' END),
                u.id, 'prevent_officer', %(organisation)s, a.action,
                CASE WHEN a.on_case THEN 'cases.case' ELSE '' END,
                CASE WHEN a.on_case THEN c.id::text ELSE '' END,
                CASE WHEN a.on_case THEN c.id END,
                ('10.' || (u.n %% 250) || '.' || (u.n / 250 %% 250) || '.' || (1 + r.g %% 3))::inet,
                substr(md5(r.g::text), 1, 32),
                CASE WHEN a.action = 'case.break_glass' THEN 'Covering a colleague on leave' ELSE '' END,
                '{}'::jsonb, '', ''
            FROM (
                SELECT g, random() * %(days)s AS day, random() AS hour, random() AS minute,
                    1 + floor(power(random(), 1.6) * %(users)s)::int AS user_n,
                    1 + floor(random() * %(weights)s)::int AS action_n,
                    1 + floor(power(random(), 1.3) * %(cases)s)::int AS case_n
                FROM generate_series(1, %(events)s) AS g
            ) r
            JOIN bench_users u ON u.n = r.user_n
            JOIN bench_actions a ON a.n = r.action_n
            JOIN bench_cases c ON c.n = r.case_n
            """,
            {
                "organisation": organisation.pk,
                "days": DAYS,
                "users": USERS,
                "cases": CASES,
                "weights": len(weighted),
                "events": EVENTS,
            },
        )
        for _, definition in indexes:
            execute(definition)


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
    indexes = secondary_indexes()
    weighted = [(action, record_type) for action, record_type, weight in LIST_ACTIONS for _ in range(weight)]
    execute("SET maintenance_work_mem = '1GB'")
    execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")  # a throwaway database only (see `seed`)
    try:
        with transaction.atomic():
            execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, _ in indexes:
                execute(f'DROP INDEX "{name}"')
            execute("CREATE TEMP TABLE bench_users ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) AS n, "
                    "id FROM accounts_user WHERE email LIKE 'bench-audit-%%'")  # fmt: skip
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
            for _, definition in indexes:
                execute(definition)
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


def insert_list_events(values: dict) -> None:
    """`count` list-page events, each showing `width` neighbouring rows of bench_pages (see `seed_lists`)."""
    if values["count"] <= 0:
        return
    execute(
        """
        INSERT INTO audit_auditevent (occurred_at, actor_id, actor_roles, actor_organisation_id, action,
            target_type, target_id, case_id, ip_address, request_id, reason, details, prev_hash, hash)
        SELECT
            LEAST(now(), date_trunc('day', now() - r.day * interval '1 day')
                + CASE WHEN r.hour < 0.9 THEN interval '8 hours' + r.minute * interval '10 hours'
                       ELSE r.minute * interval '24 hours' END),
            u.id, 'prevent_officer', %(organisation)s, a.action, a.record_type, '', NULL,
            ('10.' || (u.n %% 250) || '.' || (u.n / 250 %% 250) || '.' || (1 + r.g %% 3))::inet,
            substr(md5(%(part)s || r.g), 1, 32), '',
            jsonb_build_object(
                'ids', CASE WHEN a.record_type = 'referrals.referral' THEN p.referral_ids ELSE p.case_ids END,
                'case_ids', p.case_ids),
            '', ''
        FROM (
            SELECT g, random() * %(days)s AS day, random() AS hour, random() AS minute,
                1 + floor(power(random(), 1.6) * %(users)s)::int AS user_n,
                1 + floor(random() * %(weights)s)::int AS action_n,
                %(first)s + floor(power(random(), %(skew)s) * %(span)s)::int AS start
            FROM generate_series(1, %(count)s) AS g
        ) r
        JOIN bench_users u ON u.n = r.user_n
        JOIN bench_list_actions a ON a.n = r.action_n
        CROSS JOIN LATERAL (
            SELECT jsonb_agg(l.case_id ORDER BY l.n) AS case_ids, jsonb_agg(l.referral_id ORDER BY l.n) AS referral_ids
            FROM bench_pages l WHERE l.n BETWEEN r.start + 1 AND r.start + %(width)s
        ) p
        """,
        {"days": DAYS, "users": USERS, **values},
    )


# --- measuring -----------------------------------------------------------------------------------


def warm_search_indexes() -> None:
    """Read the search indexes into the OS page cache first, as on a server that has been answering searches.

    Without this, the first searches after the seed read their index pages from disk: a person search over
    dozens of cases then walks dozens of cold index pages (about 1-3 ms each here). The seed itself pushes
    them out of memory. pg_prewarm's "prefetch" asks the kernel to read them; PostgreSQL's own buffers stay
    as they are.
    """
    started = time.perf_counter()
    execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_stat_user_indexes "
            "WHERE relname IN ('audit_auditevent', 'audit_listedcase')"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute("SELECT pg_prewarm(%s::regclass, 'prefetch')", [name])
    size = sum(size for _, size in indexes) / 2**30
    print(f"  search indexes read into the page cache: {size:.1f} GiB ({time.perf_counter() - started:.0f} s)")


def supervisor_session() -> tuple[User, SessionStore]:
    """A supervisor signed in as the sign-in views leave it: password and second factor passed just now."""
    organisation = Organisation.objects.get(name="Bench audit police")
    supervisor = User.objects.filter(email="bench-audit-supervisor@example.org").first() or (
        accounts_services.create_user(
            by=None,
            email="bench-audit-supervisor@example.org",
            full_name="Bench Audit Supervisor",
            organisation=organisation,
            roles=[Role.SUPERVISOR],
            password="bench-only-password-" + "x" * 12,
        )
    )
    device, _ = TOTPDevice.objects.get_or_create(user=supervisor, name="Bench app", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(supervisor.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = supervisor.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[auth.SIGNED_IN_AT] = session[auth.LAST_SEEN_AT] = time.time()
    session.create()
    return supervisor, session


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


ROW = re.compile(r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell"><time')
NEXT = re.compile(r'href="\?([^"]*after=[^"]*)" rel="next"')


class Scenario:
    def __init__(self, name: str, requests):
        self.name = name
        self.requests = requests  # a list of (method, path, data): one is sent per timed request, in turn
        self.timings: list[float] = []
        self.queries = 0
        self.rows: list[int] = []
        self.sql = ""

    def run(self, client: Client) -> None:
        for method, path, data in self.requests[:WARM_UP]:
            send(client, method, path, data)
        started_all = time.perf_counter()
        for number in range(REQUESTS):
            if number >= MIN_REQUESTS and time.perf_counter() - started_all > BUDGET_S:
                break  # a page this slow misses the target anyway: fewer samples, the bench still ends
            method, path, data = self.requests[number % len(self.requests)]
            started = time.perf_counter()
            response = send(client, method, path, data)
            self.timings.append((time.perf_counter() - started) * 1000)
            self.rows.append(len(ROW.findall(response.content.decode())))
        method, path, data = self.requests[0]
        with CaptureQueriesContext(connection) as captured:
            send(client, method, path, data)
        self.queries = len(captured.captured_queries)
        pages = [
            q["sql"] for q in captured.captured_queries if 'FROM "audit_auditevent"' in q["sql"] and "LIMIT" in q["sql"]
        ]
        self.sql = pages[0] if pages else ""


def send(client: Client, method: str, path: str, data: dict):
    response = getattr(client, method)(path, data)
    if response.status_code != 200:
        raise RuntimeError(f"{method.upper()} {path}: HTTP {response.status_code}")
    return response


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    return "\n".join("      " + (line if len(line) < 150 else line[:147] + "...") for line in lines)


def scenarios(client: Client, rng: random.Random) -> list[Scenario]:
    search = reverse("audit:search")
    users = list(
        User.objects.filter(email__startswith="bench-audit-")
        .exclude(email__contains="supervisor")
        .values_list("pk", flat=True)
    )
    busy, quiet = users[:50], rng.sample(users, 100)  # the lowest ids are the busiest (the seed's skew)
    case_refs = list(
        Case.objects.filter(reference__startswith=PREFIX).order_by("?").values_list("pk", "reference")[:100]
    )
    today = timezone.localdate()
    month = today - timedelta(days=30)

    def date_range(start: date, end: date) -> dict:
        return {"from_day": start.day, "from_month": start.month, "from_year": start.year,
                "to_day": end.day, "to_month": end.month, "to_year": end.year}  # fmt: skip

    people = list(
        Referral.objects.filter(reference__startswith=PREFIX).order_by("?").values_list("answers", flat=True)[:100]
    )
    by_person, by_person_name = [], []
    for answers in people:
        who = answers["the-person"]
        born = date.fromisoformat(who["date_of_birth"])
        name = f"{who['forenames']} {who['surname']}"
        by_person.append(
            ("post", search, {"name": name, "dob_day": born.day, "dob_month": born.month, "dob_year": born.year})
        )
        by_person_name.append(("post", search, {"name": name}))
    # A deep page: 20 Next links down one busy user's events (fewer when a small seed has fewer pages).
    path = f"{search}?user={busy[0]}"
    for _ in range(20):
        link = NEXT.search(send(client, "get", path, {}).content.decode())
        if link is None:
            break
        path = search + "?" + link.group(1).replace("&amp;", "&")
    rare = ["case.merged", "mfa.device_enrolled", "user.viewed", "case.consent_recorded"]
    # Hot cases (the seed's most recently received, in tens of thousands of list pages each) and their people.
    hot = list(
        Case.objects.filter(reference__startswith=PREFIX)
        .order_by("-received_at", "id")
        .values_list("pk", "reference")[:HOT_CASES]
    )
    hot = rng.sample(hot, min(20, len(hot)))
    hot_people = Referral.objects.filter(case__in=[pk for pk, _ in hot]).values_list("answers", flat=True)
    by_hot_person, by_hot_person_name = [], []
    for answers in hot_people:
        who = answers["the-person"]
        born = date.fromisoformat(who["date_of_birth"])
        name = f"{who['forenames']} {who['surname']}"
        by_hot_person.append(
            ("post", search, {"name": name, "dob_day": born.day, "dob_month": born.month, "dob_year": born.year})
        )
        by_hot_person_name.append(("post", search, {"name": name}))
    return [
        Scenario("newest events, no filter", [("get", search, {})]),
        Scenario("by user (busiest 50)", [("get", search, {"user": pk}) for pk in busy]),
        Scenario("by user (any 100)", [("get", search, {"user": pk}) for pk in quiet]),
        Scenario("by user, page 21 by Next links", [("get", path, {})]),
        Scenario("by case reference", [("get", search, {"case_reference": ref}) for _, ref in case_refs]),
        Scenario(
            "by action + last 30 days",
            [("get", search, {"action": action, **date_range(month, today)}) for action, _, _ in ACTIONS],
        ),
        Scenario(
            "by rare action + a year, 8 months ago",
            [
                (
                    "get",
                    search,
                    {"action": action, **date_range(today - timedelta(days=600), today - timedelta(days=240))},
                )
                for action in rare
            ],
        ),  # fmt: skip
        Scenario(
            "by user + action + last 30 days",
            [("get", search, {"user": pk, "action": "case.viewed", **date_range(month, today)}) for pk in quiet],
        ),
        Scenario("by person (name + date of birth)", by_person),
        Scenario("by person (name only)", by_person_name),
        Scenario("case history page", [("get", reverse("audit:case_history", args=[pk]), {}) for pk, _ in case_refs]),
        Scenario("user activity page", [("get", reverse("audit:user_activity", args=[pk]), {}) for pk in quiet]),
        Scenario("HOT case history page", [("get", reverse("audit:case_history", args=[pk]), {}) for pk, _ in hot]),
        Scenario("by HOT case reference", [("get", search, {"case_reference": ref}) for _, ref in hot]),
        Scenario("by HOT person (name + date of birth)", by_hot_person),
        Scenario("by HOT person (name only)", by_hot_person_name),
    ]


def time_export(client: Client) -> str:
    """One CSV export at the limit (the newest 100,000 events): how long the cap lets it run."""
    started = time.perf_counter()
    response = client.post(reverse("audit:export_csv"), {})
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    return (
        f"CSV export of the newest events: {lines - 1:,} rows, {size / 1e6:.0f} MB in {seconds:.1f} s "
        f"({(lines - 1) / seconds:,.0f} rows/s; truncated: {response['X-Export-Truncated']})"
    )


def main():
    if connection.vendor != "postgresql":
        sys.exit(
            "This benchmark needs PostgreSQL: set DATABASE_URL (a throwaway database: the seed disables triggers)."
        )
    call_command("migrate", verbosity=0)
    seed()
    seed_lists()
    # Statistics as autovacuum would keep them, for tables and indexes added by migrations after the seed too.
    execute("ANALYZE audit_auditevent")
    execute("ANALYZE audit_listedcase")
    warm_search_indexes()
    supervisor, session = supervisor_session()
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    cache.clear()
    try:
        total = AuditEvent.objects.count()
        print(
            f"Audit search over {total:,} events, {USERS:,} users, {CASES:,} cases; in-process (Django test "
            f"Client), PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        listed = AuditEvent.objects.filter(action__in=[action for action, _, _ in LIST_ACTIONS], case_id=None)
        hottest = Case.objects.filter(reference__startswith=PREFIX).order_by("-received_at", "id").first()
        if hottest is not None:
            print(
                f"  of which {listed.count():,} list-page events; the newest hot case ({hottest.reference}) is in "
                f"{AuditEvent.objects.filter(selectors.listed([hottest.pk])).count():,} of them",
                flush=True,
            )
        runs = scenarios(client, random.Random(6))
        for scenario in runs:
            scenario.run(client)
        report(runs)
        print("\n" + time_export(client))
    finally:
        session.delete()


def report(runs: list[Scenario]) -> None:
    print(f"\n{'page':42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>6} {'SQL':>4} {'n':>4}")
    for s in runs:
        print(
            f"{s.name:42} {statistics.median(s.timings):8.1f} {percentile(s.timings, 0.95):8.1f} "
            f"{max(s.timings):8.1f} {statistics.median(s.rows):6.0f} {s.queries:4d} {len(s.timings):4d}"
        )
    missed = [s.name for s in runs if percentile(s.timings, 0.95) >= TARGET_P95_MS]
    print(f"\nTarget p95 under {TARGET_P95_MS} ms: " + ("met by every page" if not missed else f"MISSED by {missed}"))
    print(
        f"(load average now {os.getloadavg()[0]:.1f}; {REQUESTS} requests per page, one at a time, or as many as "
        f"{BUDGET_S} s allow, {MIN_REQUESTS} at least: n)"
    )
    print("\nPlans of each page's main query (EXPLAIN ANALYZE, the first request's values):")
    for s in runs:
        if s.sql:
            print(f"  {s.name}:\n{plan(s.sql)}")


if __name__ == "__main__":
    main()
