"""Benchmark: repeat-referral matching on 100,000 referrals, on PostgreSQL.

Seeds (once) a bench database with N submitted referrals and their person keys, then times the
matching query for new referrals, one at a time, and shows the query plan. Run with `make bench`.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import services as accounts_services  # noqa: E402
from accounts.models import Organisation, Role, User  # noqa: E402
from referrals import matching  # noqa: E402
from referrals.models import PersonKey, Referral  # noqa: E402

SIZE = int(os.environ.get("BENCH_REFERRALS", "100000"))
LOOKUPS = 200
SURNAMES = [
    f"{stem}{suffix}"
    for stem in (
        "Khan",
        "Smith",
        "Jones",
        "Ali",
        "Novak",
        "Brown",
        "Patel",
        "Wilson",
        "Taylor",
        "Evans",
        "Hussain",
        "Walker",
        "Wright",
        "Roberts",
        "Thompson",
        "White",
    )
    for suffix in ("", "son", "ley", "ford", "er", "ski", "ov", "ini", "ton", "well")
]
FORENAMES = [
    "Mohammed",
    "Oliver",
    "Jack",
    "Harry",
    "Noah",
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Adam",
    "Yusuf",
    "Zara",
    "Leo",
    "Freya",
    "Ibrahim",
    "Maya",
    "Ethan",
    "Aisha",
    "Lucas",
    "Grace",
]


def answers(rng: random.Random) -> dict:
    return {
        "the-person": {
            "surname": rng.choice(SURNAMES),
            "forenames": rng.choice(FORENAMES),
            "dob_known": "year",
            "birth_year": rng.randint(1960, 2015),
        },
        "contact-details": {"postcode": f"NR{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}Q"},
    }


def seed():
    if Referral.objects.filter(status=Referral.Status.RECEIVED).count() >= SIZE:
        return
    print(f"Seeding {SIZE:,} referrals (once)...", flush=True)
    organisation = Organisation.objects.filter(name="Bench school").first() or accounts_services.create_organisation(
        by=None, name="Bench school", kind=Organisation.Kind.PARTNER, sector=Organisation.Sector.EDUCATION
    )
    author = User.objects.filter(email="bench@example.org").first() or accounts_services.create_user(
        by=None,
        email="bench@example.org",
        full_name="Bench",
        organisation=organisation,
        roles=[Role.REFERRER],
        password="bench-only-password",
    )
    rng = random.Random(1)
    now = timezone.now()
    for start in range(0, SIZE, 5000):
        batch = [
            Referral(
                author=author,
                organisation=organisation,
                status=Referral.Status.RECEIVED,
                answers=answers(rng),
                reference=f"BN-{start + n:08d}",
                submitted_at=now,
            )
            for n in range(5000)
        ]
        Referral.objects.bulk_create(batch)
        PersonKey.objects.bulk_create(
            PersonKey(referral=referral, kind=kind, value=value)
            for referral in batch
            for kind, value in matching.keys_for(referral.answers)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE referrals_personkey; ANALYZE referrals_referral;")


def main():
    if connection.vendor != "postgresql":
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL (the Makefile does).")
    call_command("migrate", verbosity=0)
    seed()
    rng = random.Random(2)
    new = Referral(pk=None)
    timings, matched = [], []
    for _ in range(LOOKUPS):
        keys = matching.keys_for(answers(rng))
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            found = matching.find_matches(new, keys)
            timings.append((time.perf_counter() - started) * 1000)
        matched.append(len(found))
    timings.sort()
    print(f"Repeat-referral matching over {Referral.objects.count():,} referrals, {PersonKey.objects.count():,} keys:")
    print(
        f"  {LOOKUPS} lookups, one at a time: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(LOOKUPS * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(
        f"  queries per lookup: {len(queries.captured_queries)}; suggestions per lookup: median "
        f"{statistics.median(matched):.0f}, max {max(matched)}"
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    print("  plan of the lookup:\n" + plan)
    bench_search(rng)


def bench_search(rng: random.Random):
    """Person search (police): name with spelling variants, plus year of birth, on the same 100,000."""
    from cases.search import search

    timings, counts = [], []
    sample = Referral.objects.filter(reference__startswith="BN-").values_list("answers", flat=True)
    people = [stored["the-person"] for stored in sample[: LOOKUPS * 50 : 50]]
    for person in people:
        terms = {"name": f"{person['forenames']} {person['surname']}", "birth_year": person["birth_year"]}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            counts.append(len(list(search(terms)[:100])))
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"Person search (name + year of birth) over {Referral.objects.count():,} referrals:")
    p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95)]
    print(f"  {len(people)} searches for people who are there: p50 {p50:.1f} ms, p95 {p95:.1f} ms;")
    print(f"  queries per search: {len(queries.captured_queries)}; results: median {statistics.median(counts):.0f}")


if __name__ == "__main__":
    main()
