"""Every figure of every report, against the world of conftest.py counted by hand."""

import pytest
import time_machine

from referrals.models import Referral
from reports import pages, selectors, tables
from tests.reports.conftest import PERIOD, TODAY


@pytest.fixture
def today(world):
    with time_machine.travel(TODAY.isoformat() + " 12:00", tick=False):
        yield TODAY


def test_reporting_facts_are_copied_at_submission(world):
    r1, r2, r3, r4, r5 = (Referral.objects.get(pk=r.pk) for r in world["referrals"])
    assert r5.case_id == r1.case_id
    assert [r.age_band for r in (r1, r2, r3, r4, r5)] == ["11_15", "16_17", "21_30", "not_known", "11_15"]
    assert [r.gender for r in (r1, r2, r3, r4, r5)] == ["male", "female", "not_known", "female", "male"]


def test_open_work_by_status_and_overdue(today):
    work = selectors.open_work(None, today)
    # case 1 in support (adopted), case 3 new and overdue (due 17 March); cases 2 and 4 closed; r5 merged.
    assert work["support"] == 1 and work["new"] == 1
    assert sum(work[status] for status in ("gathering", "assessment", "awaiting_sign_off", "channel")) == 0
    assert work["unassigned"] == 1
    assert work["overdue_assessments"] == 1
    assert work["overdue_reviews"] == 0


def test_workload_per_officer(world, today):
    rows = selectors.workload(None, today)
    assert rows == [
        {
            "assigned_to": world["officer"].pk,
            "name": world["officer"].full_name,
            "open": 1,
            "overdue_assessments": 0,
            "overdue_reviews": 0,
        }
    ]


def test_referrals_per_week_include_empty_weeks(today):
    weeks = selectors.weekly_referrals(PERIOD, None)
    assert [(str(monday), count) for monday, count in weeks] == [
        ("2026-03-02", 2),
        ("2026-03-09", 1),
        ("2026-03-16", 1),
        ("2026-03-23", 0),
    ]


def test_median_and_90th_percentile_times_and_share_within_target(today):
    timing = selectors.timeliness(PERIOD, None, today)
    # Cases received in the period: 1 (assessed in 2 days, outcome in 4), 2 (10 and 13 days), 3 (neither).
    assert timing["received"] == 3 and timing["assessed"] == 2 and timing["decided"] == 2
    assert timing["assessment_p50"] == pytest.approx(6.0)
    assert timing["assessment_p90"] == pytest.approx(2 + 0.9 * 8)
    assert timing["outcome_p50"] == pytest.approx(8.5)
    assert timing["outcome_p90"] == pytest.approx(4 + 0.9 * 9)
    # Case 1 on time, case 2 late, case 3 overdue unassessed: 1 of 3.
    assert (timing["within_target"], timing["due"]) == (1, 3)


def test_the_partner_area_filter_counts_only_its_partners(world, today):
    north = world["north"].pk
    assert [count for _, count in selectors.weekly_referrals(PERIOD, north)] == [2, 0, 1, 0]
    work = selectors.open_work(north, today)
    assert (work["new"], work["support"], work["overdue_assessments"]) == (0, 1, 0)
    assert selectors.timeliness(PERIOD, north, today)["received"] == 2


def test_management_comparison_with_the_previous_period(world):
    figures = selectors.comparison(PERIOD, None)
    assert figures["sector"] == {
        "education": {"current": 3, "previous": 0},
        "health": {"current": 1, "previous": 1},
    }
    assert figures["concern"] == {
        "islamist": {"current": 2, "previous": 1},
        "extreme_right_wing": {"current": 1, "previous": 0},
        "": {"current": 1, "previous": 0},
    }
    assert figures["age_band"] == {
        "11_15": {"current": 2, "previous": 0},
        "16_17": {"current": 1, "previous": 0},
        "21_30": {"current": 1, "previous": 0},
        "not_known": {"current": 0, "previous": 1},
    }
    assert figures["gender"] == {
        "male": {"current": 2, "previous": 0},
        "female": {"current": 1, "previous": 1},
        "not_known": {"current": 1, "previous": 0},
    }
    # r1 and r5 share the adopted case; r4 (previous period) was discussed and not adopted.
    assert figures["funnel"] == {
        "referrals_current": 4,
        "referrals_previous": 1,
        "discussed_current": 2,
        "discussed_previous": 1,
        "adopted_current": 2,
        "adopted_previous": 0,
        "repeat_current": 1,
        "repeat_previous": 0,
    }
    assert figures["consent"] == {"given": {"state": "given", "current": 1, "previous": 0}}


def test_management_by_area(world):
    figures = selectors.comparison(PERIOD, world["north"].pk)
    assert figures["funnel"]["referrals_current"] == 3
    assert figures["funnel"]["referrals_previous"] == 0
    assert figures["sector"] == {"education": {"current": 3, "previous": 0}}


def test_the_statistics_return_counts(world):
    figures = selectors.statistics_return(PERIOD, None)
    assert figures["sector"] == {
        "education": {"referrals": 3, "discussed": 2, "adopted": 2},
        "health": {"referrals": 1, "discussed": 0, "adopted": 0},
    }
    assert figures["outcome"] == {"channel": {"referrals": 2}, "nfa": {"referrals": 1}, "": {"referrals": 1}}


def test_the_return_suppresses_small_counts_and_the_cell_a_total_would_reveal(world, settings):
    settings.REPORTS_SUPPRESSION_THRESHOLD = 2
    returned = tables.statistics_return(selectors.statistics_return(PERIOD, None), PERIOD)
    sector = dict(returned[0].rows)
    # Referrals: health 1 is hidden; education (3) is hidden too, or 4 - 0 - ... - 3 would give it away.
    assert sector["Health"] == ["*", 0, 0]
    assert sector["Education"] == ["*", 2, 2]
    assert returned[0].total == [4, 2, 2]
    csv_text = tables.as_csv(returned, PERIOD, "All areas")
    assert "Sector of the referrer,Health,*,0,0" in csv_text
    assert "Sector of the referrer,Education,*,2,2" in csv_text
    assert "Sector of the referrer,Total,4,2,2" in csv_text


def test_the_return_with_the_default_threshold_hides_every_small_count(world):
    returned = tables.statistics_return(selectors.statistics_return(PERIOD, None), PERIOD)
    values = [value for one in returned for _, row in [*one.rows, ("Total", one.total)] for value in row]
    assert set(values) <= {0, "*"}


def test_partners_count_only_their_own_organisations_referrals(world):
    own = selectors.organisation_counts(world["partner_a"], PERIOD)
    # r1 and r5 (merged into r1's case, in support) under assessment, r2 closed: r3 and r4 are partner B's.
    assert own["status"] == {
        "under_assessment": {"current": 2, "previous": 0},
        "closed": {"current": 1, "previous": 0},
    }
    other = selectors.organisation_counts(world["partner_b"], PERIOD)
    assert other["status"] == {"received": {"current": 1, "previous": 0}, "closed": {"current": 0, "previous": 1}}


def test_restricted_referrals_are_left_out(world, today):
    r3 = world["referrals"][2]
    Referral.objects.filter(pk=r3.pk).update(restricted_at=r3.submitted_at)
    r3.case.__class__.objects.filter(pk=r3.case_id).update(restricted_at=r3.submitted_at)
    assert selectors.comparison(PERIOD, None)["funnel"]["referrals_current"] == 3
    assert selectors.open_work(None, today)["new"] == 0


def test_pages_assemble_without_error(world, today):
    team = pages.team(PERIOD, None, today)
    assert team["open_total"] == 2
    assert team["within_target"] == "33%"
    management = pages.management(PERIOD, None)
    assert management["funnel_rows"][0] == ("Referrals", 4, 1)
    assert management["repeat"]["current_share"] == "25%"
