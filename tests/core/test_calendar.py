from datetime import date

import pytest

from core.calendar import working_days_after

FRIDAY = date(2026, 11, 20)


def test_one_working_day_after_a_friday_is_the_monday():
    assert working_days_after(FRIDAY, 1) == date(2026, 11, 23)


def test_five_working_days_after_a_friday_is_the_next_friday():
    assert working_days_after(FRIDAY, 5) == date(2026, 11, 27)


@pytest.mark.parametrize("weekend_day", [date(2026, 11, 21), date(2026, 11, 22)])
def test_counting_from_a_weekend_starts_on_the_monday(weekend_day):
    assert working_days_after(weekend_day, 1) == date(2026, 11, 23)


def test_a_weekday_count_within_the_week_adds_calendar_days():
    monday = date(2026, 11, 23)
    assert working_days_after(monday, 4) == date(2026, 11, 27)


def test_ten_working_days_span_two_weekends():
    assert working_days_after(FRIDAY, 10) == date(2026, 12, 4)


def test_no_working_days_is_the_same_day():
    assert working_days_after(FRIDAY, 0) == FRIDAY
