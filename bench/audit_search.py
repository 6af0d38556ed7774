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

import support

support.setup()

import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402

import audit_search_data as bench_data  # noqa: E402
import audit_search_lists as bench_lists  # noqa: E402
from audit_search_data import ACTIONS, CASES, HOT_CASES, LIST_ACTIONS, PREFIX, USERS  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from support import seeding, sessions  # noqa: E402
from support.measure import explain, load_average, percentile  # noqa: E402
from support.seeding import execute  # noqa: E402

from accounts.models import Organisation, Role, User  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from cases.models import Case  # noqa: E402
from oversight import selectors  # noqa: E402
from referrals.models import Referral  # noqa: E402

REQUESTS = 100  # timed requests per scenario, each with different values where the scenario has them
WARM_UP = 5
TARGET_P95_MS = 100
BUDGET_S = 60  # timed seconds per page at most (but MIN_REQUESTS at least): a page of seconds stops early
MIN_REQUESTS = 20


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
    supervisor = seeding.user(
        "bench-audit-supervisor@example.org", "Bench Audit Supervisor", organisation, Role.SUPERVISOR
    )
    device, _ = TOTPDevice.objects.get_or_create(user=supervisor, name="Bench app", defaults={"confirmed": True})
    return supervisor, sessions.signed_in_session(supervisor, device)


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
    lines = explain(sql, "(ANALYZE, BUFFERS, COSTS OFF)")
    return "\n".join("      " + (line if len(line) < 150 else line[:147] + "...") for line in lines)


def person_searches(search: str, people) -> tuple[list, list]:
    """The searches for each person's referral answers: by name and date of birth, and by name only."""
    by_name_and_birth, by_name = [], []
    for answers in people:
        who = answers["the-person"]
        born = date.fromisoformat(who["date_of_birth"])
        name = f"{who['forenames']} {who['surname']}"
        by_name_and_birth.append(
            ("post", search, {"name": name, "dob_day": born.day, "dob_month": born.month, "dob_year": born.year})
        )
        by_name.append(("post", search, {"name": name}))
    return by_name_and_birth, by_name


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
    by_person, by_person_name = person_searches(search, people)
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
    by_hot_person, by_hot_person_name = person_searches(search, hot_people)
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
    seeding.migrate(
        "This benchmark needs PostgreSQL: set DATABASE_URL (a throwaway database: the seed disables triggers)."
    )
    bench_data.seed()
    bench_lists.seed_lists()
    # Statistics as autovacuum would keep them, for tables and indexes added by migrations after the seed too.
    execute("ANALYZE audit_auditevent")
    execute("ANALYZE audit_listedcase")
    warm_search_indexes()
    supervisor, session = supervisor_session()
    client = sessions.client(session)
    cache.clear()
    try:
        total = AuditEvent.objects.count()
        print(
            f"Audit search over {total:,} events, {USERS:,} users, {CASES:,} cases; in-process (Django test "
            f"Client), PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPUs, "
            f"load average {load_average():.1f}",
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
        f"(load average now {load_average():.1f}; {REQUESTS} requests per page, one at a time, or as many as "
        f"{BUDGET_S} s allow, {MIN_REQUESTS} at least: n)"
    )
    print("\nPlans of each page's main query (EXPLAIN ANALYZE, the first request's values):")
    for s in runs:
        if s.sql:
            print(f"  {s.name}:\n{plan(s.sql)}")


if __name__ == "__main__":
    main()
