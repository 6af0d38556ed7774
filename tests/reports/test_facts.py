"""The age band and gender copied from a referral's answers at submission."""

from datetime import UTC, datetime

import pytest

from referrals.facts import age_band, reporting_facts

SUBMITTED = datetime(2026, 3, 2, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("person", "band"),
    [
        ({"dob_known": "exact", "date_of_birth": "2015-03-02"}, "11_15"),  # 11 on the day
        ({"dob_known": "exact", "date_of_birth": "2015-03-03"}, "10_under"),  # 11 tomorrow
        ({"dob_known": "age", "approximate_age": 16}, "16_17"),
        ({"dob_known": "age", "approximate_age": 18}, "18_20"),
        ({"dob_known": "year", "birth_year": 1996}, "21_30"),  # 30 this year
        ({"dob_known": "year", "birth_year": 1985}, "41_over"),
        ({"dob_known": "unknown"}, "not_known"),
        ({"dob_known": "exact", "date_of_birth": "not a date"}, "not_known"),
        ({}, "not_known"),
    ],
)
def test_age_band_from_what_the_referrer_knew(person, band):
    assert reporting_facts({"the-person": person}, SUBMITTED)[0] == band


EDGES = [(10, "10_under"), (15, "11_15"), (17, "16_17"), (20, "18_20"), (30, "21_30"), (40, "31_40"), (41, "41_over")]


@pytest.mark.parametrize(("age", "band"), [*EDGES, (None, "not_known")])
def test_band_edges(age, band):
    assert age_band(age) == band


def test_gender_is_a_known_code_or_not_known():
    assert reporting_facts({"the-person": {"gender": "female"}}, SUBMITTED)[1] == "female"
    assert reporting_facts({"the-person": {"gender": "unknown"}}, SUBMITTED)[1] == "not_known"
    assert reporting_facts({}, SUBMITTED) == ("not_known", "not_known")
