"""Benchmark: the police case queue on 100,000 cases, on PostgreSQL under gunicorn.

Seeds (once) 100,000 cases with a realistic spread, signs an officer in (with a verified second
factor) straight into the session store, starts gunicorn with the bench settings (bench/settings.py:
production settings plus two reference views from bench/urls.py), and measures, in one run, the
queue beside a bare "ok" view and a plain Django ListView of 50 cases with a page count: p50/p95 one
request at a time and at 16 connections, with requests per second. Run with `make bench`.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not named queue.py: bench/ is first on the path of every script in it, and would shadow `import queue`.
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import html  # noqa: E402
import itertools  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import timedelta  # noqa: E402

import django  # noqa: E402
from dateutil.relativedelta import relativedelta  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts import auth  # noqa: E402
from accounts import services as accounts_services  # noqa: E402
from accounts.models import Organisation, Role, User  # noqa: E402
from cases import queue as case_queue  # noqa: E402
from cases import selectors  # noqa: E402
from cases.models import Case, Outcome  # noqa: E402
from cases.services import working_days_after  # noqa: E402
from referrals.models import ConcernType  # noqa: E402

SIZE = int(os.environ.get("BENCH_CASES", "100000"))
# References of bench cases (real ones are "PC-" and random). Raise the version when the seed changes.
SEED_VERSION = 2
PREFIX = f"PB{SEED_VERSION}-"
OFFICERS = 5
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
CONNECTIONS = 16
WARM_UP = 30
SERIAL_ROUNDS = 200  # one request to every view per round, so background load hits them all alike
SERIAL_SECONDS = 60  # ... or fewer rounds, if the slow references make them take longer
CONCURRENT_REQUESTS = 800  # per view, in two passes (views in one order, then the reverse)
PHASE_SECONDS = 8  # each concurrent pass also stops after this long (the slow references)
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


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- seeding -------------------------------------------------------------------------------------


def seed_users() -> list[User]:
    """The bench police team: officer 0 signs in (with a confirmed authenticator app)."""
    organisation = Organisation.objects.filter(name="Bench police").first() or accounts_services.create_organisation(
        by=None, name="Bench police", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
    )
    officers = []
    for n in range(OFFICERS):
        email = f"bench-officer{n}@example.org"
        officer = User.objects.filter(email=email).first() or accounts_services.create_user(
            by=None,
            email=email,
            full_name=f"Bench Officer {n}",
            organisation=organisation,
            roles=[Role.PREVENT_OFFICER],
            password="bench-only-password-" + "x" * 12,
        )
        officers.append(officer)
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
                status = pick(rng, next(weights for limit, weights in STATUS_BY_AGE if limit is None or age < limit))
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
                        sector=pick(rng, SECTORS),
                        concern_type_id=rng.choice(concern_types) if concern_types and rng.random() < 0.85 else None,
                        assessment_due=working_days_after(
                            timezone.localdate(received), settings.ASSESSMENT_TARGET_WORKING_DAYS
                        ),
                        referral_count=pick(rng, {1: 90, 2: 8, 3: 1, 4: 1}),
                        outcome=outcome,
                        closed_at=closed_at,
                        review_due=review_due(rng, closed_at, outcome, today) if closed_at else None,
                    )
                )
            Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def signed_in_session(officer: User) -> SessionStore:
    """A session as the sign-in views leave it: password and second factor passed just now."""
    device = TOTPDevice.objects.get(user=officer, name="Bench app", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = officer._meta.pk.value_to_string(officer)
    session[BACKEND_SESSION_KEY] = "accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[auth.SIGNED_IN_AT] = session[auth.LAST_SEEN_AT] = time.time()
    session.create()
    return session


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn (master and workers: its own process group) and wait for them all."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    for _ in range(50):  # workers outliving their master (they should not)
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def gunicorn():
    port = free_port()
    executable = Path(sys.executable).parent / "gunicorn"
    if not executable.exists():
        executable = Path(shutil.which("gunicorn") or "gunicorn")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        str(executable),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        "--graceful-timeout",
        "10",
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}):\n" + Path(log.name).read_text()[-3000:])
            try:
                if fetch(port, "/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in 60 s:\n" + Path(log.name).read_text()[-3000:])
            time.sleep(0.2)
        yield port
    finally:
        stop(process)
        log.close()
        problems = Path(log.name).read_text()
        if "Traceback" in problems or "ERROR" in problems:
            print(f"gunicorn log ({log.name}):\n{problems[-3000:]}")
        else:
            Path(log.name).unlink()


# --- load generator ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: str


def fetch(port: int, path: str, cookie: str = "") -> Response:
    """One GET on a new connection (gunicorn's sync workers close every connection after a response)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
    if cookie:
        request += f"Cookie: {cookie}\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall((request + "\r\n").encode())
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return Response(int(head.split(b" ", 2)[1]), body.decode(errors="replace"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def p50(self):
        return statistics.median(self.latencies)

    @property
    def p95(self):
        return percentile(self.latencies, 0.95)

    @property
    def rate(self):
        return len(self.latencies) / self.seconds


def load(port: int, path: str, cookie: str, *, total: int, connections: int, check, into: Result) -> None:
    """Send `total` requests (or as many as fit in PHASE_SECONDS) over `connections` threads."""
    lock = threading.Lock()
    issued = itertools.count()
    deadline = time.perf_counter() + PHASE_SECONDS

    def worker():
        latencies, errors = [], []
        while next(issued) < total and time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = fetch(port, path, cookie)
            except OSError as error:
                errors.append(repr(error))
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            problem = check(response)
            if problem:
                errors.append(problem)
        with lock:
            into.latencies.extend(latencies)
            into.errors.extend(errors)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.seconds += time.perf_counter() - started


# --- scenarios -----------------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    name: str
    path: str
    signed_in: bool
    rows: int | None  # table rows expected on the page (None: not a list)
    queries: int | None = None
    sql: str = ""  # the page query, for its plan
    captured: list[str] = field(default_factory=list)  # every query of one request
    serial: Result = field(default_factory=Result)
    concurrent: Result = field(default_factory=Result)

    def cookie(self, cookie: str) -> str:
        return cookie if self.signed_in else ""

    def check(self, response: Response) -> str | None:
        if response.status != 200:
            return f"HTTP {response.status}"
        if self.rows is None:
            return None if response.body == "ok" else "unexpected body"
        found = len(ROW.findall(response.body))
        return None if found == self.rows else f"{found} rows, not {self.rows}"


ROW = re.compile(r'<tr class="govuk-table__row">\s*<td')
NEXT = re.compile(r'href="\?([^"]*)" rel="next"')


def follow_next(port: int, cookie: str, pages: int) -> str:
    """Click the queue's Next link `pages` times from the first page; return that page's path."""
    path = "/cases/"
    for _ in range(pages):
        response = fetch(port, path, cookie)
        link = NEXT.search(response.body)
        if response.status != 200 or link is None:
            raise RuntimeError(f"no Next link on {path} (HTTP {response.status})")
        path = "/cases/?" + html.unescape(link.group(1))
    return path


def queue_cursor(officer: User, filters: dict, fraction: float) -> tuple[str, int, int]:
    """A cursor as the Next link would carry it, `fraction` of the way down the queue's due-date order.

    Returns (cursor, its row number, rows in the queue with these filters).
    """
    cases = case_queue.apply_filters(selectors.queue(officer), filters, officer, timezone.localdate())
    _, sort_field, _ = case_queue.SORTS["due"]
    total = cases.count()
    position = int(total * fraction)
    case = cases.order_by(sort_field, "id")[position]
    return case_queue._encode(getattr(case, sort_field), case.pk), position, total


def count_queries(client: Client, path: str) -> tuple[int, list[dict]]:
    client.get(path)  # warm the per-process caches (officers, concern types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code} in-process")
    return len(captured.captured_queries), captured.captured_queries


PLAN_LINES = ("Limit", "Scan", "Sort", "Filter:", "Index Cond:", "Recheck", "Rows Removed", "Execution Time")
PLAN_JOINS = ("accounts_user", "referrals_concerntype", "assigned_to_id)", "concern_type_id)", "Memoize", "Cache Key")


def plan(sql: str) -> str:
    """The page query's plan, run: the case-table nodes only (the joins to users and concern types are trivial)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    kept = [line for line in lines if any(k in line for k in PLAN_LINES) and not any(k in line for k in PLAN_JOINS)]
    return "\n".join("      " + (line if len(line) < 150 else line[:147] + "...") for line in kept)


def main():
    if connection.vendor != "postgresql":
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL (the Makefile does).")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below on `kill` too
    call_command("migrate", verbosity=0)
    officers = seed_users()
    seed_cases(officers)
    session = signed_in_session(officers[0])
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    try:
        run(officers[0], session, cookie)
    finally:
        session.delete()


def run(officer: User, session: SessionStore, cookie: str) -> None:
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
        # Diagnostics: what a signed-in session (session, user, roles, second factor) adds to any page.
        Scenario("ok_session", 'bare "ok" view, signed-in session sent', "/bench/ok/", True, None),
        Scenario("plain_session", "plain ListView, page 1, session sent", "/bench/cases/", True, 50),
    ]
    by_key = {scenario.key: scenario for scenario in scenarios}
    load_before = os.getloadavg()[0]
    print(
        f"Police case queue over {total:,} cases ({open_count:,} in the default queue, {assessment:,} in "
        f"assessment); gunicorn {WORKERS} sync workers, PostgreSQL {connection.pg_version // 10000}, "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f}",
        flush=True,
    )
    with gunicorn() as port:
        by_key["deep_links"].path = follow_next(port, cookie, LINK_PAGES)
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        anonymous = Client(HTTP_HOST="127.0.0.1")
        for scenario in scenarios:
            scenario.queries, captured = count_queries(client if scenario.signed_in else anonymous, scenario.path)
            scenario.captured = [query["sql"] for query in captured]
            scenario.sql = next((sql for sql in scenario.captured if 'FROM "cases_case"' in sql and "LIMIT" in sql), "")
            warm_up = Result()
            load(
                port,
                scenario.path,
                scenario.cookie(cookie),
                total=WARM_UP,
                connections=WORKERS,
                check=scenario.check,
                into=warm_up,
            )
            if warm_up.errors:
                raise RuntimeError(f"{scenario.name}: {warm_up.errors[:3]}")
        print("  one request at a time, every view in turn...", flush=True)
        serial(port, scenarios, cookie)
        print(f"  {CONNECTIONS} connections, two passes over the views...", flush=True)
        for order in (scenarios, scenarios[::-1]):
            for scenario in order:
                load(
                    port,
                    scenario.path,
                    scenario.cookie(cookie),
                    total=CONCURRENT_REQUESTS // 2,
                    connections=CONNECTIONS,
                    check=scenario.check,
                    into=scenario.concurrent,
                )
    report(scenarios, load_before)


def serial(port: int, scenarios: list[Scenario], cookie: str) -> None:
    """Rounds of one request to each view, in a shuffled order: slow moments hit every view alike."""
    rng = random.Random(4)
    order = list(scenarios)
    deadline = time.perf_counter() + SERIAL_SECONDS
    for _ in range(SERIAL_ROUNDS):
        if time.perf_counter() > deadline:
            break
        rng.shuffle(order)
        for scenario in order:
            started = time.perf_counter()
            response = fetch(port, scenario.path, scenario.cookie(cookie))
            scenario.serial.latencies.append((time.perf_counter() - started) * 1000)
            problem = scenario.check(response)
            if problem:
                scenario.serial.errors.append(problem)


def report(scenarios: list[Scenario], load_before: float) -> None:
    print()
    print(
        f"{'':46} {'one at a time':>17} {f'{CONNECTIONS} connections':>30}\n"
        f"{'view':46} {'p50 ms':>8} {'p95 ms':>8} {'p50 ms':>9} {'p95 ms':>8} {'req/s':>8} {'SQL':>5}  requests"
    )
    for s in scenarios:
        print(
            f"{s.name:46} {s.serial.p50:8.1f} {s.serial.p95:8.1f} {s.concurrent.p50:9.1f} {s.concurrent.p95:8.1f}"
            f" {s.concurrent.rate:8.0f} {s.queries:5d}  {len(s.serial.latencies)}+{len(s.concurrent.latencies)}"
        )
    load_after = os.getloadavg()[0]
    print(f"(load average {load_before:.1f} before, {load_after:.1f} after; SQL: queries per request, in-process)")
    if load_before > 0.5 * (os.cpu_count() or 1):
        print("  Note: other work was running; compare the rows of this run with each other, not with other runs.")
    errors = [(s.name, e) for s in scenarios for r in (s.serial, s.concurrent) for e in r.errors]
    if errors:
        print(f"ERRORS: {len(errors)} failed requests, first ones: {errors[:5]}")

    by_key = {scenario.key: scenario for scenario in scenarios}
    plain, first, plain_session = by_key["plain"], by_key["queue"], by_key["plain_session"]
    deep = [by_key[key] for key in ("deep_links", "deep_open", "deep_all")]
    print("\nTargets:")
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
    for s in deep:
        checks.append(
            (
                f"deep page as fast as the first: {s.name} (p50 within 10%)",
                s.serial.p50 <= first.serial.p50 * 1.1,
                f"{s.serial.p50:.1f} vs {first.serial.p50:.1f} ms",
            )
        )
    for label, passed, detail in checks:
        print(f"  {'met   ' if passed else 'MISSED'} {label}: {detail}")
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
