"""Benchmark: the police case queue, the case page and the home page on 100,000 cases, on PostgreSQL under gunicorn.

Seeds (once) 100,000 cases with a realistic spread, signs an officer in (with a verified second
factor) straight into the session store, starts gunicorn with the bench settings (bench/settings.py:
production settings plus two reference views from bench/urls.py), and measures, in one run, the
queue beside a bare "ok" view and a plain Django ListView of 50 cases with a page count: p50/p95 one
request at a time and at 16 connections, with requests per second. The officer's home page (its counts run
over every case) and the page of one of their cases (made once through the services: checks, assessment,
a signed-off decision, a panel entry, support and 20 notes) are timed in the same run, to be within 1.5x of
the queue. Run with `make bench`.
"""

# Not named queue.py: bench/ is first on the path of every script in it, and would shadow `import queue`.
import support

support.setup()

import html  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from support import seeding, sessions, web  # noqa: E402
from support.measure import explain, load_average, print_targets  # noqa: E402
from support.web import CONNECTIONS, WORKERS, Scenario  # noqa: E402

from accounts.models import Organisation, Role, User  # noqa: E402
from cases import queue as case_queue  # noqa: E402
from cases import selectors  # noqa: E402
from cases.models import Case, Outcome  # noqa: E402
from core.calendar import working_days_after  # noqa: E402
from referrals.models import ConcernType  # noqa: E402
from tests.cases.case_file_factories import full_case  # noqa: E402

SIZE = int(os.environ.get("BENCH_CASES", "100000"))
# References of bench cases (real ones are "PC-" and random). Raise the version when the seed changes.
SEED_VERSION = 2
PREFIX = f"PB{SEED_VERSION}-"
OFFICERS = 5
SERIAL_ROUNDS = 200  # one request to every view per round, so background load hits them all alike
SERIAL_SECONDS = 60  # ... or fewer rounds, if the slow references make them take longer
LINK_PAGES = 30

# Sectors of referring organisations, roughly as Prevent referrals split nationally.
SECTORS = {
    "education": 36,
    "police": 18,
    "health": 11,
    "local_authority": 10,
    "community": 8,
    "prison_probation": 5,
    "other": 12,
}
S = Case.Status
# Status by the case's age: recent cases are being triaged, older ones mostly closed.
STATUS_BY_AGE = [
    (14, {S.NEW: 35, S.GATHERING: 30, S.ASSESSMENT: 22, S.AWAITING_SIGN_OFF: 5, S.CLOSED: 6, S.MERGED: 2}),
    (
        90,
        {
            S.GATHERING: 5,
            S.ASSESSMENT: 10,
            S.AWAITING_SIGN_OFF: 4,
            S.SUPPORT: 10,
            S.CHANNEL: 5,
            S.CLOSURE_PENDING: 4,
            S.CLOSED: 57,
            S.MERGED: 5,
        },
    ),
    (None, {S.SUPPORT: 3, S.CHANNEL: 2, S.CLOSURE_PENDING: 1, S.CLOSED: 90, S.MERGED: 4}),
]


# --- seeding -------------------------------------------------------------------------------------


def seed_users() -> list[User]:
    """The bench police team: officer 0 signs in (with a confirmed authenticator app)."""
    organisation = seeding.organisation(
        "Bench police", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
    )
    officers = [
        seeding.user(f"bench-officer{n}@example.org", f"Bench Officer {n}", organisation, Role.PREVENT_OFFICER)
        for n in range(OFFICERS)
    ]
    TOTPDevice.objects.get_or_create(user=officers[0], name="Bench app", defaults={"confirmed": True})
    return officers


def review_due(rng: random.Random, closed_at, outcome: str, today):
    """Closed cases that had support are reviewed 6 and 12 months on; a few reviews run late."""
    if outcome not in (Outcome.POLICE_LED, Outcome.CHANNEL):
        return None
    closed = timezone.localdate(closed_at)
    for months in settings.REVIEW_MONTHS:
        due = closed + relativedelta(months=months)
        if due > today or rng.random() < 0.05:  # not due yet, or overdue (still in the queue)
            return due
    return None


def seed_cases(officers: list[User]) -> None:
    if Case.objects.filter(reference__startswith=PREFIX).count() >= SIZE:
        return
    print(f"Seeding {SIZE:,} cases (once)...", flush=True)
    started = time.perf_counter()
    rng = random.Random(3)
    concern_types = list(ConcernType.objects.values_list("pk", flat=True))
    now = timezone.now()
    today = timezone.localdate(now)
    outcomes = list(Outcome.values)
    with transaction.atomic():
        # Bench cases of an earlier seed (other size or version). They have no related rows: one plain
        # DELETE (Django's cascade collector would look in every related table, for minutes).
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Case._meta.db_table} WHERE reference ~ '^PB[0-9]*-'")  # noqa: S608
        for start in range(0, SIZE, 5000):
            batch = []
            for n in range(start, min(start + 5000, SIZE)):
                received = now - timedelta(seconds=rng.uniform(0, 4 * 365 * 86400))
                age = (now - received).days
                by_status = next(weights for limit, weights in STATUS_BY_AGE if limit is None or age < limit)
                status = seeding.pick(rng, by_status)
                unassigned = status == S.NEW and rng.random() < 0.8
                closed_at, outcome = None, ""
                if status == S.CLOSED:
                    closed_at = min(now, received + timedelta(days=rng.uniform(3, 120)))
                    outcome = rng.choice(outcomes)
                batch.append(
                    Case(
                        reference=f"{PREFIX}{n:08d}",
                        status=status,
                        assigned_to=None if unassigned else rng.choice(officers),
                        received_at=received,
                        sector=seeding.pick(rng, SECTORS),
                        concern_type_id=rng.choice(concern_types) if concern_types and rng.random() < 0.85 else None,
                        assessment_due=working_days_after(
                            timezone.localdate(received), settings.ASSESSMENT_TARGET_WORKING_DAYS
                        ),
                        referral_count=seeding.pick(rng, {1: 90, 2: 8, 3: 1, 4: 1}),
                        outcome=outcome,
                        closed_at=closed_at,
                        review_due=review_due(rng, closed_at, outcome, today) if closed_at else None,
                    )
                )
            Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def seed_case_page(officer: User) -> Case:
    """The officer's one case made through the services (bench cases have no referral, chronology or support)."""
    made = Case.objects.filter(assigned_to=officer).exclude(reference__startswith=PREFIX).first()
    if made:
        return made
    numbers = iter(range(1_000_000))

    def make_user(role, **_):
        return seeding.role_user(role, f"case-page-{next(numbers)}")

    return full_case(make_user, officer=officer, notes=20)


def signed_in_session(officer: User) -> SessionStore:
    """A session as the sign-in views leave it: password and second factor passed just now."""
    device = TOTPDevice.objects.get(user=officer, name="Bench app", confirmed=True)
    return sessions.signed_in_session(officer, device)


NEXT = re.compile(r'href="\?([^"]*)" rel="next"')


def follow_next(port: int, cookie: str, pages: int) -> str:
    """Click the queue's Next link `pages` times from the first page; return that page's path."""
    path = "/cases/"
    for _ in range(pages):
        response = web.fetch(port, path, cookie)
        link = NEXT.search(response.body)
        if response.status != 200 or link is None:
            raise RuntimeError(f"no Next link on {path} (HTTP {response.status})")
        path = "/cases/?" + html.unescape(link.group(1))
    return path


def queue_cursor(officer: User, filters: dict, fraction: float) -> tuple[str, int, int]:
    """A cursor as the Next link would carry it, `fraction` of the way down the queue's due-date order.

    Returns (cursor, its row number, rows in the queue with these filters).
    """
    cases = case_queue.apply_filters(selectors.visible_cases(officer), filters, officer, timezone.localdate())
    _, sort_field, _ = case_queue.SORTS["due"]
    total = cases.count()
    position = int(total * fraction)
    case = cases.order_by(sort_field, "id")[position]
    return case_queue.encode_cursor(getattr(case, sort_field), case.pk, field=sort_field), position, total


PLAN_LINES = ("Limit", "Scan", "Sort", "Filter:", "Index Cond:", "Recheck", "Rows Removed", "Execution Time")
PLAN_JOINS = ("accounts_user", "referrals_concerntype", "assigned_to_id)", "concern_type_id)", "Memoize", "Cache Key")


def plan(sql: str) -> str:
    """The page query's plan, run: the case-table nodes only (the joins to users and concern types are trivial)."""
    lines = explain(sql, "(ANALYZE, COSTS OFF)")
    kept = [line for line in lines if any(k in line for k in PLAN_LINES) and not any(k in line for k in PLAN_JOINS)]
    return "\n".join("      " + (line if len(line) < 150 else line[:147] + "...") for line in kept)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below on `kill` too
    seeding.migrate()
    officers = seed_users()
    seed_cases(officers)
    case = seed_case_page(officers[0])
    session = signed_in_session(officers[0])
    try:
        run(officers[0], session, sessions.cookie(session), case)
    finally:
        session.delete()


def run(officer: User, session: SessionStore, cookie: str, case: Case) -> None:
    total = Case.objects.count()
    open_cursor, open_row, open_count = queue_cursor(officer, {}, 0.8)
    all_cursor, all_row, _ = queue_cursor(officer, {"status": "all"}, 0.9)
    assessment = Case.objects.filter(status=S.ASSESSMENT).count()
    plain_pages = math.ceil(total / 50)
    deep_plain = int(plain_pages * 0.75)
    scenarios = [
        Scenario("ok", 'bare view returning "ok"', "/bench/ok/", False, None),
        Scenario("plain", "plain ListView, page 1", "/bench/cases/", False, 50),
        Scenario(
            "plain_deep", f"plain ListView, page {deep_plain:,} (OFFSET)", f"/bench/cases/?page={deep_plain}", False, 50
        ),
        Scenario("queue", "queue, first page", "/cases/", True, 50),
        Scenario("deep_links", f"queue, page {LINK_PAGES + 1} by Next links", "", True, 50),
        Scenario(
            "deep_open", f"queue, after row {open_row:,} of {open_count:,}", f"/cases/?after={open_cursor}", True, 50
        ),
        Scenario(
            "deep_all",
            f"queue, all statuses, after row {all_row:,}",
            f"/cases/?status=all&after={all_cursor}",
            True,
            50,
        ),
        Scenario(
            "filtered", "queue, ?status=assessment&sort=newest", "/cases/?status=assessment&sort=newest", True, 50
        ),
        Scenario("home", "home page (the officer's waiting work)", "/", True, None, "Notifications"),
        Scenario("case", "case page (one of the officer's cases)", f"/cases/{case.pk}/", True, None, case.reference),
        # Diagnostics: what a signed-in session (session, user, roles, second factor) adds to any page.
        Scenario("ok_session", 'bare "ok" view, signed-in session sent', "/bench/ok/", True, None),
        Scenario("plain_session", "plain ListView, page 1, session sent", "/bench/cases/", True, 50),
    ]
    by_key = {scenario.key: scenario for scenario in scenarios}
    load_before = load_average()
    print(
        f"Police case queue over {total:,} cases ({open_count:,} in the default queue, {assessment:,} in "
        f"assessment); gunicorn {WORKERS} sync workers, PostgreSQL {connection.pg_version // 10000}, "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f}",
        flush=True,
    )
    with web.gunicorn() as port:
        by_key["deep_links"].path = follow_next(port, cookie, LINK_PAGES)
        client, anonymous = sessions.client(session), sessions.client()
        for scenario in scenarios:
            web.prepare(port, scenario, client if scenario.signed_in else anonymous, cookie)
            scenario.sql = next((sql for sql in scenario.captured if 'FROM "cases_case"' in sql and "LIMIT" in sql), "")
        print("  one request at a time, every view in turn...", flush=True)
        web.serial(port, scenarios, cookie, rounds=SERIAL_ROUNDS, seconds=SERIAL_SECONDS, seed=4)
        print(f"  {CONNECTIONS} connections, two passes over the views...", flush=True)
        for order in (scenarios, scenarios[::-1]):
            for scenario in order:
                web.concurrent(port, scenario, cookie)
    report(scenarios, load_before)


def report(scenarios: list[Scenario], load_before: float) -> None:
    web.print_table(scenarios, 46, load_before, "queries per request, in-process")

    by_key = {scenario.key: scenario for scenario in scenarios}
    plain, first, plain_session = by_key["plain"], by_key["queue"], by_key["plain_session"]
    deep = [by_key[key] for key in ("deep_links", "deep_open", "deep_all")]
    checks = [
        ("queue p50 one at a time under 20 ms", first.serial.p50 < 20, f"{first.serial.p50:.1f} ms"),
        (
            "queue at least as fast as the plain ListView, one at a time (p50)",
            first.serial.p50 <= plain.serial.p50,
            f"{first.serial.p50:.1f} vs {plain.serial.p50:.1f} ms",
        ),
        (
            f"queue at least as fast as the plain ListView, {CONNECTIONS} connections (req/s)",
            first.concurrent.rate >= plain.concurrent.rate,
            f"{first.concurrent.rate:.0f} vs {plain.concurrent.rate:.0f} req/s",
        ),
    ]
    for key in ("home", "case"):
        page = by_key[key]
        checks.append(
            (
                f"{page.name} p50 within 1.5x of the queue's, one at a time",
                page.serial.p50 <= first.serial.p50 * 1.5,
                f"{page.serial.p50:.1f} vs {first.serial.p50:.1f} ms",
            )
        )
    for s in deep:
        checks.append(
            (
                f"deep page as fast as the first: {s.name} (p50 within 10%)",
                s.serial.p50 <= first.serial.p50 * 1.1,
                f"{s.serial.p50:.1f} vs {first.serial.p50:.1f} ms",
            )
        )
    print_targets(checks)
    ok, ok_session = by_key["ok"], by_key["ok_session"]
    print(
        f"  (for the reading: a signed-in session adds {ok_session.serial.p50 - ok.serial.p50:.1f} ms to the bare view;"
        f" with it the plain ListView takes {plain_session.serial.p50:.1f} ms, the queue {first.serial.p50:.1f} ms)"
    )

    print(f"\nQueries of one queue page ({first.queries}):")
    for query in first.captured:
        print(f"    {query[:140]}")
    print("\nPlans of the queue's page query (case table only):")
    for s in [first, *deep, by_key["filtered"]]:
        print(f"  {s.name}:\n{plan(s.sql)}")


if __name__ == "__main__":
    main()
