"""Benchmark: repeat-referral matching on 100,000 referrals, on PostgreSQL.

Seeds (once) a bench database with N submitted referrals and their person keys, then times the
matching query for new referrals, one at a time, and shows the query plan. Run with `make bench`.
"""

import support

support.setup("config.settings", unless_set=True)

import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import seeding  # noqa: E402
from support.measure import explain, percentile  # noqa: E402

from accounts.models import Organisation, Role  # noqa: E402
from referrals import matching  # noqa: E402
from referrals.models import PersonKey, Referral  # noqa: E402

SIZE = int(os.environ.get("BENCH_REFERRALS", "100000"))
LOOKUPS = 200
SURNAMES = seeding.surnames()


def answers(rng: random.Random) -> dict:
    return {
        "the-person": {
            "surname": rng.choice(SURNAMES),
            "forenames": rng.choice(seeding.FORENAMES),
            "dob_known": "year",
            "birth_year": rng.randint(1960, 2015),
        },
        "contact-details": {"postcode": seeding.postcode(rng)},
    }


def seed():
    if Referral.objects.filter(status=Referral.Status.RECEIVED).count() >= SIZE:
        return
    print(f"Seeding {SIZE:,} referrals (once)...", flush=True)
    organisation = seeding.organisation(
        "Bench school", kind=Organisation.Kind.PARTNER, sector=Organisation.Sector.EDUCATION
    )
    author = seeding.user("bench@example.org", "Bench", organisation, Role.REFERRER)
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
        seeding.add_person_keys(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE referrals_personkey; ANALYZE referrals_referral;")


def main():
    seeding.migrate()
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
        f"p95 {percentile(timings, 0.95):.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(
        f"  queries per lookup: {len(queries.captured_queries)}; suggestions per lookup: median "
        f"{statistics.median(matched):.0f}, max {max(matched)}"
    )
    plan = "\n".join("    " + line for line in explain(queries.captured_queries[0]["sql"]))
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
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"  {len(people)} searches for people who are there: p50 {p50:.1f} ms, p95 {p95:.1f} ms;")
    print(f"  queries per search: {len(queries.captured_queries)}; results: median {statistics.median(counts):.0f}")


if __name__ == "__main__":
    main()
