"""The HTTP benches' half: gunicorn with the bench settings, a load generator on raw sockets, and the views timed.

One load profile for every bench under gunicorn: WORKERS sync workers, warmed up with WARM_UP requests, then
requests one at a time (`serial`) and at CONNECTIONS connections (`concurrent`), each pass stopping after
PHASE_SECONDS at most.
"""

import itertools
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from support import ROOT
from support.measure import count_queries, note_if_busy, percentile

WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
CONNECTIONS = 16
WARM_UP = 30
CONCURRENT_REQUESTS = 800  # per view, in two passes (views in one order, then the reverse)
PHASE_SECONDS = 8  # each concurrent pass also stops after this long (the slow references)


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


# --- the views timed -----------------------------------------------------------------------------


ROW = re.compile(r'<tr class="govuk-table__row">\s*<td')


@dataclass
class Scenario:
    key: str
    name: str
    path: str
    signed_in: bool
    rows: int | None  # table rows expected on the page (None: not a list)
    contains: str = ""  # a page that is not a list: text it must show (none: the bare view's "ok")
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
        if self.contains:
            return None if self.contains in response.body else f"no {self.contains!r} on the page"
        if self.rows is None:
            return None if response.body == "ok" else "unexpected body"
        found = len(ROW.findall(response.body))
        return None if found == self.rows else f"{found} rows, not {self.rows}"


def prepare(port: int, scenario: Scenario, client, cookie: str) -> None:
    """Count one request's queries in-process, then warm the view up under gunicorn; stop at a failing view."""
    scenario.queries, captured = count_queries(client, scenario.path)
    scenario.captured = [query["sql"] for query in captured]
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


def serial(port: int, scenarios: list[Scenario], cookie: str, *, rounds: int, seconds: float, seed: int) -> None:
    """Rounds of one request to each view, in a shuffled order: slow moments hit every view alike."""
    rng = random.Random(seed)
    order = list(scenarios)
    deadline = time.perf_counter() + seconds
    for _ in range(rounds):
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


def concurrent(port: int, scenario: Scenario, cookie: str) -> None:
    """One pass of half the view's concurrent requests at CONNECTIONS connections."""
    load(
        port,
        scenario.path,
        scenario.cookie(cookie),
        total=CONCURRENT_REQUESTS // 2,
        connections=CONNECTIONS,
        check=scenario.check,
        into=scenario.concurrent,
    )


def print_table(scenarios: list[Scenario], width: int, load_before: float, sql_note: str) -> None:
    """Print each view's latencies one at a time and at CONNECTIONS connections, the load, and any errors."""
    print()
    print(
        f"{'':{width}} {'one at a time':>17} {f'{CONNECTIONS} connections':>30}\n"
        f"{'view':{width}} {'p50 ms':>8} {'p95 ms':>8} {'p50 ms':>9} {'p95 ms':>8} {'req/s':>8} {'SQL':>5}  requests"
    )
    for s in scenarios:
        print(
            f"{s.name:{width}} {s.serial.p50:8.1f} {s.serial.p95:8.1f} {s.concurrent.p50:9.1f} {s.concurrent.p95:8.1f}"
            f" {s.concurrent.rate:8.0f} {s.queries:5d}  {len(s.serial.latencies)}+{len(s.concurrent.latencies)}"
        )
    print(f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; SQL: {sql_note})")
    note_if_busy(load_before)
    errors = [(s.name, e) for s in scenarios for r in (s.serial, s.concurrent) for e in r.errors]
    if errors:
        print(f"ERRORS: {len(errors)} failed requests, first ones: {errors[:5]}")
