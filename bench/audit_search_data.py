"""The audit search bench's seed, part one: users, cases with a referral and person keys, and the audit events.

What is seeded and why is in bench/audit_search.py, which runs it (this module is not a bench of its own). Once per
SEED_MARK, with the tables' user triggers disabled and the audit table's secondary indexes dropped and rebuilt: a
throwaway bench database only. The list-page events are part two (bench/audit_search_lists.py).
"""

import os
import random
import time
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone
from support import seeding
from support.seeding import execute

from accounts.models import Organisation, User
from audit.models import AuditEvent
from cases.models import Case
from referrals.models import Referral

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

SURNAMES = seeding.surnames("Okafor", "Nowak", "Kowalski", "Murphy")

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


def seeded() -> bool:
    return AuditEvent.objects.filter(action="bench.seeded", request_id=SEED_MARK).exists()


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
            "forenames": rng.choice(seeding.FORENAMES),
            "dob_known": "exact",
            "date_of_birth": born.isoformat(),
        },
        "contact-details": {"postcode": seeding.postcode(rng)},
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
        seeding.add_person_keys(referrals)


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


# What the INSERT ... SELECT of every seeded event shares: its columns; per generated row `r`, a day in the last
# two years and a time (working hours mostly), a user (a few are busy) and an action by weight; from the user `u`
# (numbered by `number_bench_users`), an address.
EVENT_COLUMNS = """occurred_at, actor_id, actor_roles, actor_organisation_id, action,
    target_type, target_id, case_id, ip_address, request_id, reason, details, prev_hash, hash"""
OCCURRED_AT = """LEAST(now(), date_trunc('day', now() - r.day * interval '1 day')
    + CASE WHEN r.hour < 0.9 THEN interval '8 hours' + r.minute * interval '10 hours'
           ELSE r.minute * interval '24 hours' END)"""
ADDRESS = "('10.' || (u.n %% 250) || '.' || (u.n / 250 %% 250) || '.' || (1 + r.g %% 3))::inet"
GENERATED = """g, random() * %(days)s AS day, random() AS hour, random() AS minute,
    1 + floor(power(random(), 1.6) * %(users)s)::int AS user_n,
    1 + floor(random() * %(weights)s)::int AS action_n"""
# The events, and a case (some are busy) for the actions about one.
EVENTS_SQL = f"""
    INSERT INTO audit_auditevent ({EVENT_COLUMNS})
    SELECT
        {OCCURRED_AT},
        u.id, 'prevent_officer', %(organisation)s, a.action,
        CASE WHEN a.on_case THEN 'cases.case' ELSE '' END,
        CASE WHEN a.on_case THEN c.id::text ELSE '' END,
        CASE WHEN a.on_case THEN c.id END,
        {ADDRESS},
        substr(md5(r.g::text), 1, 32),
        CASE WHEN a.action = 'case.break_glass' THEN 'Covering a colleague on leave' ELSE '' END,
        '{{}}'::jsonb, '', ''
    FROM (
        SELECT {GENERATED},
            1 + floor(power(random(), 1.3) * %(cases)s)::int AS case_n
        FROM generate_series(1, %(events)s) AS g
    ) r
    JOIN bench_users u ON u.n = r.user_n
    JOIN bench_actions a ON a.n = r.action_n
    JOIN bench_cases c ON c.n = r.case_n
"""  # noqa: S608  (constants only)


def number_bench_users() -> None:
    """Number the bench users 1..n in a temporary table, for the INSERT ... SELECT to pick them by number."""
    execute(
        "CREATE TEMP TABLE bench_users ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) AS n, id "
        "FROM accounts_user WHERE email LIKE 'bench-audit-%%'"
    )


@contextmanager
def secondary_indexes_dropped():
    """In a transaction: drop the audit table's secondary indexes, and build them again at the end of the block."""
    indexes = secondary_indexes()
    # Django's foreign keys are checked at commit: check them row by row, so the indexes can be built here.
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _ in indexes:
        execute(f'DROP INDEX "{name}"')
    yield
    for _, definition in indexes:
        execute(definition)


def seed_events(organisation: Organisation) -> None:
    """10 million events in one INSERT ... SELECT, with the secondary indexes rebuilt afterwards."""
    weighted = [(action, on_case) for action, on_case, weight in ACTIONS for _ in range(weight)]
    with transaction.atomic(), secondary_indexes_dropped():
        number_bench_users()
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
        execute(
            EVENTS_SQL,
            {
                "organisation": organisation.pk,
                "days": DAYS,
                "users": USERS,
                "cases": CASES,
                "weights": len(weighted),
                "events": EVENTS,
            },
        )
