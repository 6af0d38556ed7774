from datetime import date

import pytest

from core.calendar import is_working_day, working_days_after

# The calendar reads the closure days administrators add in the service from the database (through the cache).
pytestmark = pytest.mark.django_db

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


def test_bank_holidays_of_england_and_wales_are_not_working_days():
    christmas_eve = date(2026, 12, 24)  # a Thursday: Christmas, Boxing Day (observed) and New Year's Day follow
    assert not is_working_day(date(2026, 12, 25)) and not is_working_day(date(2026, 12, 28))
    assert working_days_after(christmas_eve, 5) == date(2027, 1, 5)
    assert working_days_after(date(2026, 4, 2), 1) == date(2026, 4, 7)  # over Good Friday and Easter Monday


def test_the_part_of_the_uk_decides_which_days_are_holidays(settings):
    assert is_working_day(date(2026, 1, 2))  # a Friday, a working day in England
    settings.BANK_HOLIDAYS = "SCT"
    assert not is_working_day(date(2026, 1, 2))  # the New Year holiday in Scotland


def test_local_closure_days_are_skipped(settings):
    settings.LOCAL_CLOSURE_DAYS = ["2026-11-23"]
    assert working_days_after(FRIDAY, 1) == date(2026, 11, 24)


def test_a_mistyped_calendar_setting_is_refused_by_the_system_checks(settings):
    from core.checks import calendar_settings

    assert calendar_settings(None) == []
    settings.BANK_HOLIDAYS, settings.LOCAL_CLOSURE_DAYS = "XYZ", ["24/12/2026"]
    assert [error.id for error in calendar_settings(None)] == ["core.E001", "core.E002"]
