"""System checks for core's settings: a typing mistake stops `manage.py check` and start-up with a clear message."""

from datetime import date

from django.conf import settings
from django.core.checks import Error, register

REGIONS = {"ENG", "WLS", "SCT", "NIR"}


@register()
def calendar_settings(app_configs, **kwargs) -> list[Error]:
    """BANK_HOLIDAYS names a part of the UK; LOCAL_CLOSURE_DAYS are dates (core/calendar.py)."""
    errors = []
    if settings.BANK_HOLIDAYS not in REGIONS:
        errors.append(Error('BANK_HOLIDAYS must be "ENG", "WLS", "SCT" or "NIR"', id="core.E001"))
    for day in settings.LOCAL_CLOSURE_DAYS:
        try:
            date.fromisoformat(day)
        except ValueError:
            errors.append(Error(f"LOCAL_CLOSURE_DAYS: {day!r} is not a date like 2026-12-24", id="core.E002"))
    return errors
