"""Working days: Monday to Friday, less the bank holidays where the force is, less its local closure days.

Bank holidays come from the `holidays` package for `settings.BANK_HOLIDAYS` (the part of the UK: "ENG" for
England and Wales, "SCT", "NIR" or "WLS"); `settings.LOCAL_CLOSURE_DAYS` adds the days the team is closed
(ISO dates, set by the system administrator). The assessment target, reminders, overdue flags, the reports'
"within target" and the out-of-hours access alert all count days here.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def closed_days(years: Iterable[int]) -> set[date]:
    """Return the bank holidays and local closure days in these years."""
    days: set[date] = set()
    for year in years:
        days |= _bank_holidays(settings.BANK_HOLIDAYS, year)
    return days | {date.fromisoformat(day) for day in settings.LOCAL_CLOSURE_DAYS}


def is_working_day(day: date) -> bool:
    """Monday to Friday, and neither a bank holiday nor a local closure day."""
    return day.weekday() < 5 and day not in closed_days([day.year])


def working_days_after(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (bank holidays and closure days skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current
