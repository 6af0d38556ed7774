"""Working days: Monday to Friday, less the bank holidays where the force is, less its local closure days.

Bank holidays come from the `holidays` package for `settings.BANK_HOLIDAYS` (the part of the UK: "ENG" for
England and Wales, "SCT", "NIR" or "WLS"); `settings.LOCAL_CLOSURE_DAYS` adds the days the team is closed
(ISO dates, set by the system administrator), and `ClosureDay` rows the days administrators add in the service
(read from the cache, which the service that changes them clears). The assessment target, reminders, overdue
flags, the reports' "within target" and the out-of-hours access alert all count days here.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.cache import cache

# The closure days added in the service, cached without expiry: `forget_closure_days` clears them on a change.
CLOSURE_DAYS_CACHE_KEY = "core:closure-days"


@lru_cache(maxsize=64)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def bank_holiday_name(day: date) -> str | None:
    """Return the name of the bank holiday on this day where the force is, or None."""
    return holidays.country_holidays("GB", subdiv=settings.BANK_HOLIDAYS, years=day.year).get(day)


def app_closure_days() -> frozenset[date]:
    """Return the closure days administrators added in the service (one cache read; the table when cold)."""
    days = cache.get(CLOSURE_DAYS_CACHE_KEY)
    if days is None:
        from core.models import ClosureDay  # the calendar is imported while apps load; the model is not ready then

        days = frozenset(ClosureDay.objects.values_list("day", flat=True))
        cache.set(CLOSURE_DAYS_CACHE_KEY, days, None)
    return days


def forget_closure_days() -> None:
    """Clear the cached closure days: the next reading takes them from the table."""
    cache.delete(CLOSURE_DAYS_CACHE_KEY)


def local_closure_days() -> frozenset[date]:
    """Return every local closure day: the settings' and those added in the service."""
    return frozenset(date.fromisoformat(day) for day in settings.LOCAL_CLOSURE_DAYS) | app_closure_days()


def closed_days(years: Iterable[int]) -> set[date]:
    """Return the bank holidays and local closure days in these years."""
    days: set[date] = set()
    for year in years:
        days |= _bank_holidays(settings.BANK_HOLIDAYS, year)
    return days | local_closure_days()


def is_working_day(day: date, closed: set[date] | None = None) -> bool:
    """Monday to Friday, and neither a bank holiday nor a local closure day (`closed`, when already read)."""
    return day.weekday() < 5 and day not in (closed if closed is not None else closed_days([day.year]))


def working_days_after(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (bank holidays and closure days skipped)."""
    current = start
    closed = closed_days(range(start.year, start.year + 2 + days // 200))
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current, closed):
            days -= 1
    return current
