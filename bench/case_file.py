"""Benchmark: downloading a case file (PDF, WeasyPrint) of a case with 200 chronology entries, on PostgreSQL.

Makes one case through the services (a check, an assessment, a signed-off Channel decision, a panel entry,
a support plan, consent and case notes, so its chronology has 200 lines), then asks for its case file
in-process (the whole Django stack: middleware, session, permissions, the disclosure record and its audit
event, the template and the rendering; no HTTP server) one request at a time, for both versions, and prints
p50/p95 against the target, with the CPU time the request took in this process (what it costs on an idle
machine, roughly, when others share the cores). Everything it writes is rolled back. Run with `make bench`.
"""

import support

support.setup()

import itertools  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from io import BytesIO  # noqa: E402

from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from support import seeding, sessions  # noqa: E402
from support.measure import load_average, note_if_busy, percentile  # noqa: E402

from accounts.models import Role  # noqa: E402
from tests.cases.case_file_factories import full_case  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
CHRONOLOGY = 200
TARGET_MS = 2000  # a download the officer waits for, once, before a meeting or a hand-over
_numbers = itertools.count()


def make_user(role, **_):
    return seeding.role_user(role, f"case-file-{os.getpid()}-{next(_numbers)}")


def main():
    seeding.migrate()
    with transaction.atomic():
        officer = make_user(Role.PREVENT_OFFICER)
        case = full_case(make_user, officer=officer, notes=0)
        case = full_case(make_user, officer=officer, notes=CHRONOLOGY - case.events.count())
        lines = case.events.count()
        client = sessions.client(sessions.signed_in_session(officer, officer.totpdevice_set.get()))
        url = reverse("cases:case_file_pdf", kwargs={"pk": case.pk})
        load = load_average()
        print(f"Case file of a case with {lines} chronology lines, {ROUNDS} downloads each, one at a time")
        for purpose in ("ct_handover", "channel_panel"):
            times, cpu, size, pages = [], [], 0, 0
            for _ in range(ROUNDS):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.post(url, {"purpose": purpose, "note": "For the bench."})
                body = b"".join(response.streaming_content)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                assert response.status_code == 200 and body.startswith(b"%PDF-"), response.status_code
                size, pages = len(body), len(PdfReader(BytesIO(body)).pages)
            p50, p95 = statistics.median(times), percentile(times, 0.95)
            verdict = "ok" if p95 <= TARGET_MS else "OVER TARGET"
            print(
                f"  {purpose:14} {pages:3} pages {size / 1024:7.0f} KiB  "
                f"p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  (target p95 {TARGET_MS} ms: {verdict}); "
                f"CPU of this process p50 {statistics.median(cpu):6.0f} ms"
            )
        note_if_busy(load)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
