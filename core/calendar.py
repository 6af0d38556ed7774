"""Working days: Monday to Friday, less the bank holidays where the force is, less its local closure days.

Bank holidays come from the `holidays` package for `settings.BANK_HOLIDAYS` (the part of the UK: "ENG" for
England and Wales, "SCT", "NIR" or "WLS"); the days the team is closed come from `ClosureDay` rows that an
administrator adds in the app (read once into the cache, forgotten when one changes: `forget_closure_days`) and
from `settings.LOCAL_CLOSURE_DAYS` (ISO dates, for a force that sets them at deployment). The assessment target,
reminders, overdue flags, the reports' "within target" and the out-of-hours access alert all count days here.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.cache import cache


@lru_cache(maxsize=64)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def bank_holiday_name(day: date) -> str | None:
    """Return the name of the bank holiday on this day where the force is, if it is one."""
    return holidays.country_holidays("GB", subdiv=settings.BANK_HOLIDAYS, years=day.year).get(day)


def local_closure_days() -> frozenset[date]:
    """Return the closure days added in the app (one cached read) and those set in the environment."""
    from core.models import ClosureDay

    added = cache.get(settings.CLOSURE_DAYS_CACHE_KEY)
    if added is None:
        added = frozenset(ClosureDay.objects.values_list("day", flat=True))
        cache.set(settings.CLOSURE_DAYS_CACHE_KEY, added, timeout=None)
    return added | {date.fromisoformat(day) for day in settings.LOCAL_CLOSURE_DAYS}


def forget_closure_days() -> None:
    """Drop the cached closure days: the next working-day count reads them again."""
    cache.delete(settings.CLOSURE_DAYS_CACHE_KEY)


def closed_days(years: Iterable[int]) -> set[date]:
    """Return the bank holidays and local closure days in these years."""
    days: set[date] = set()
    for year in years:
        days |= _bank_holidays(settings.BANK_HOLIDAYS, year)
    return days | local_closure_days()


def is_working_day(day: date, closed: set[date] | None = None) -> bool:
    """Monday to Friday, and neither a bank holiday nor a local closure day (`closed`, when read already)."""
    return day.weekday() < 5 and day not in (closed_days([day.year]) if closed is None else closed)


def working_days_after(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (bank holidays and closure days skipped).

    The closed days are read once per year the count reaches, not once per day (the closure days are a cache read).
    """
    current, closed, years = start, set(), set()
    while days > 0:
        current += timedelta(days=1)
        if current.year not in years:
            years.add(current.year)
            closed |= closed_days([current.year])
        if is_working_day(current, closed):
            days -= 1
    return current
