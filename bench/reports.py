"""Benchmark: the dashboards and the statistics return over 100,000 cases, on PostgreSQL.

Seeds (once) 100,000 referrals, each with its case, spread over four years with assessments, decisions,
Channel panel decisions, consent and confirmed repeat referrals, from partners in three areas. Then
requests every report page in-process (the whole Django stack: middleware, session, permissions, the
aggregate queries, templates and the audit INSERT; no HTTP server), one at a time, and prints p50/p95
and the number of queries of each, against the 500 ms target, with the query plan of the heaviest
query. Run with `make bench`.
"""

import support

support.setup()

import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from support import seeding, sessions  # noqa: E402
from support.measure import explain, percentile  # noqa: E402
from support.seeding import pick  # noqa: E402

from accounts.models import Organisation, Role  # noqa: E402
from cases.models import AgendaItem, Assessment, AssessmentTemplate, Case, Consent, Decision, Outcome, PanelMeeting  # noqa: E402
from core.calendar import working_days_after  # noqa: E402
from referrals.models import ConcernType, Referral, ReferralLink  # noqa: E402
from reports.facts import AGE_BAND_LABELS, GENDER_LABELS  # noqa: E402
from reports.models import PartnerArea  # noqa: E402

SIZE = int(os.environ.get("BENCH_CASES", "100000"))
SEED_VERSION = 1
PREFIX = f"RB{SEED_VERSION}-"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
TARGET_MS = 500
S = Case.Status
SECTORS = {"education": 36, "police": 18, "health": 11, "local_authority": 10, "community": 8, "prison_probation": 5}
STATUS_BY_AGE = [
    (14, {S.NEW: 35, S.GATHERING: 30, S.ASSESSMENT: 25, S.AWAITING_SIGN_OFF: 5, S.CLOSED: 5}),
    (90, {S.GATHERING: 5, S.ASSESSMENT: 10, S.SUPPORT: 15, S.CHANNEL: 8, S.CLOSURE_PENDING: 4, S.CLOSED: 58}),
    (None, {S.SUPPORT: 3, S.CHANNEL: 1, S.CLOSURE_PENDING: 1, S.CLOSED: 95}),
]


def seed_people():
    """Partners in three areas, a referrer, five officers and a supervisor with an authenticator app."""
    police = seeding.organisation(
        "Reports bench police", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
    )
    partners = []
    for n, sector in enumerate(list(SECTORS) * 4):
        name = f"Reports bench partner {n}"
        partners.append(seeding.organisation(name, kind=Organisation.Kind.PARTNER, sector=sector))
    for number, area_name in enumerate(("Bench North", "Bench South", "Bench East")):
        area, created = PartnerArea.objects.get_or_create(name=area_name)
        if created:
            area.organisations.set(partners[number::3])

    user = seeding.user
    referrer = user("reports-bench-referrer@example.org", "Bench Referrer", partners[0], Role.REFERRER)
    officers = [
        user(f"reports-bench-officer{n}@example.org", f"Bench Officer {n}", police, Role.PREVENT_OFFICER)
        for n in range(5)
    ]
    supervisor = user("reports-bench-supervisor@example.org", "Bench Supervisor", police, Role.SUPERVISOR)
    TOTPDevice.objects.get_or_create(user=supervisor, name="Bench app", defaults={"confirmed": True})
    return partners, referrer, officers, supervisor


def seed(partners, referrer, officers, supervisor) -> None:
    if Case.objects.filter(reference__startswith=PREFIX).count() >= SIZE:
        return
    print(f"Seeding {SIZE:,} referrals and cases with their assessments and decisions (once)...", flush=True)
    started = time.perf_counter()
    rng = random.Random(8)
    concern_types = list(ConcernType.objects.values_list("pk", flat=True))
    template = AssessmentTemplate.objects.order_by("id").first()
    now = timezone.now()
    outcomes = list(Outcome.values)
    with transaction.atomic():
        meeting = PanelMeeting.objects.create(meets_on=now.date(), title="Bench panel", created_by=supervisor)
        previous = None
        for start in range(0, SIZE, 5000):
            cases, referrals, assessments, decisions, items, consents, links = [], [], [], [], [], [], []
            for n in range(start, min(start + 5000, SIZE)):
                received = now - timedelta(seconds=rng.uniform(0, 4 * 365 * 86400))
                age = (now - received).days
                status = pick(rng, next(weights for limit, weights in STATUS_BY_AGE if limit is None or age < limit))
                case = Case(
                    reference=f"{PREFIX}{n:08d}",
                    status=status,
                    assigned_to=None if status == S.NEW and rng.random() < 0.8 else rng.choice(officers),
                    received_at=received,
                    sector=pick(rng, SECTORS),
                    concern_type_id=rng.choice(concern_types) if rng.random() < 0.85 else None,
                    assessment_due=working_days_after(timezone.localdate(received), 5),
                )
                referral = Referral(
                    reference=f"{PREFIX}R{n:08d}",
                    status=Referral.Status.CLOSED if status == S.CLOSED else Referral.Status.UNDER_ASSESSMENT,
                    author=referrer,
                    organisation=rng.choice(partners),
                    answers={},
                    concern_type_id=case.concern_type_id,
                    case=case,
                    submitted_at=received,
                    age_band=rng.choice(list(AGE_BAND_LABELS)),
                    gender=rng.choice(list(GENDER_LABELS)),
                )
                if status not in (S.NEW, S.GATHERING):
                    assessed = received + timedelta(days=rng.uniform(0.2, 12))
                    assessments.append(
                        Assessment(
                            case=case, template=template, answers={}, rationale="", assessed_by=case.assigned_to,
                            assessed_at=assessed,
                        )
                    )  # fmt: skip
                    if status not in (S.ASSESSMENT,):
                        outcome = (
                            Outcome.CHANNEL
                            if status == S.CHANNEL
                            else Outcome.POLICE_LED
                            if status in (S.SUPPORT, S.CLOSURE_PENDING)
                            else rng.choice(outcomes)
                        )
                        decided = assessed + timedelta(days=rng.uniform(0.2, 10))
                        pending = status == S.AWAITING_SIGN_OFF
                        decisions.append(
                            Decision(
                                case=case, outcome=outcome, rationale="", decided_by=case.assigned_to,
                                decided_at=decided, state=Decision.State.PENDING if pending else Decision.State.STANDS,
                                signed_off_by=None if pending else supervisor,
                                signed_off_at=None if pending else decided + timedelta(days=1),
                            )
                        )  # fmt: skip
                        case.outcome = "" if pending else outcome
                        if status == S.CLOSED:
                            case.closed_at = decided + timedelta(days=rng.uniform(1, 90))
                        if outcome == Outcome.CHANNEL and status != S.CHANNEL:
                            adopted = rng.random() < 0.6
                            decision = AgendaItem.Decision.ADOPTED if adopted else AgendaItem.Decision.NOT_ADOPTED
                            items.append(AgendaItem(meeting=meeting, case=case, decision=decision))
                        if status == S.SUPPORT:
                            consents.append(
                                Consent(
                                    case=case, state=rng.choice(["given"] * 4 + ["refused"]),
                                    given_by=Consent.GivenBy.PERSON, under_18=False, recorded_by=case.assigned_to,
                                    recorded_at=decided + timedelta(days=2),
                                )
                            )  # fmt: skip
                if previous is not None and rng.random() < 0.05:
                    links.append(
                        ReferralLink(referral=referral, earlier=previous, status=ReferralLink.Status.CONFIRMED)
                    )
                previous = referral
                cases.append(case)
                referrals.append(referral)
            Case.objects.bulk_create(cases)
            Referral.objects.bulk_create(referrals)
            Assessment.objects.bulk_create(assessments)
            Decision.objects.bulk_create(decisions)
            AgendaItem.objects.bulk_create(items)
            Consent.objects.bulk_create(consents)
            ReferralLink.objects.bulk_create(links)
    with connection.cursor() as cursor:
        for table in ("cases_case", "referrals_referral", "cases_assessment", "cases_decision", "cases_agendaitem"):
            cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def client_for(user) -> Client:
    """A client whose session is as the sign-in views leave it: password and second factor passed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return sessions.client(sessions.signed_in_session(user, device))


def period(days: int, end=None) -> dict:
    end = end or timezone.localdate()
    start = end - timedelta(days=days - 1)
    return {
        "from_day": start.day, "from_month": start.month, "from_year": start.year,
        "to_day": end.day, "to_month": end.month, "to_year": end.year,
    }  # fmt: skip


def measure(client: Client, name: str, path: str, params: dict) -> bool:
    for _ in range(3):
        assert client.get(path, params, secure=True).status_code == 200, path
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path, params, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path, params, secure=True)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    met = p95 < TARGET_MS
    print(f"  {name:<52} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {len(queries):2d} queries  {'met' if met else 'MISSED'}")
    return met


def main() -> int:
    call_command("migrate", verbosity=0)
    partners, referrer, officers, supervisor = seed_people()
    seed(partners, referrer, officers, supervisor)
    total = Case.objects.count()
    print(f"Reports over {total:,} cases and {Referral.objects.count():,} referrals; load average {os.getloadavg()}")
    print(f"Target: every page under {TARGET_MS} ms (p95), {ROUNDS} requests each, one at a time, in-process")
    north = str(PartnerArea.objects.get(name="Bench North").pk)
    boss, partner = client_for(supervisor), client_for(referrer)
    pages = [
        (boss, "Team dashboard, 12 weeks (default)", "/reports/", {}),
        (boss, "Team dashboard, 12 months", "/reports/", period(365)),
        (boss, "Team dashboard, 12 months, one area", "/reports/", {**period(365), "area": north}),
        (boss, "Management view, 13 weeks against 13 before (default)", "/reports/management/", {}),
        (boss, "Management view, 12 months against 12 before", "/reports/management/", period(365)),
        (boss, "Management view, 12 months, one area", "/reports/management/", {**period(365), "area": north}),
        (boss, "Statistics return, 12 months", "/reports/statistics-return/", period(365)),
        (boss, "Statistics return CSV, 12 months", "/reports/statistics-return/csv/", period(365)),
        (boss, "Statistics return, 4 years (everything)", "/reports/statistics-return/", period(4 * 365 + 1)),
        (partner, "A partner's own counts, 13 weeks", "/reports/organisation/", {}),
    ]
    results = [measure(client, name, path, params) for client, name, path, params in pages]
    from reports import selectors
    from reports.forms import Period

    end = timezone.localdate()
    heavy = selectors.cases(None).filter(received_at__gte=Period(end - timedelta(days=364), end).since)
    print("\nPlan of the timeliness query (12 months):")
    with CaptureQueriesContext(connection) as queries:
        selectors.timeliness(Period(end - timedelta(days=364), end), None, end)
    print("\n".join("  " + line for line in explain(queries.captured_queries[-1]["sql"], "(ANALYZE, BUFFERS OFF)")))
    print(f"\n{heavy.count():,} cases received in those 12 months.")
    print(f"{sum(results)} of {len(results)} pages met the target.")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
