"""Working days: the deadlines people are given count Monday to Friday."""

from datetime import date, timedelta


def working_days_after(start: date, days: int) -> date:
    """Return the date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
