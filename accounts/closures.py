"""Local closure days added by administrators: every write atomic, permission-checked, audited.

The working-day calendar (core/calendar.py) reads these days from the cache; each change clears it, now and
again once committed (a reader between the two would otherwise cache what is being replaced).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import permissions
from accounts.models import User
from audit.services import record
from core.calendar import bank_holiday_name, forget_closure_days, local_closure_days
from core.models import ClosureDay

NAME_MAX_LENGTH = 100


def closure_day_problem(day: date) -> str | None:
    """Say why this day cannot be added as a closure day (a weekend, a bank holiday, already closed), or None."""
    if day.weekday() >= 5:
        return f"{day:%-d %B %Y} is a {day:%A}: weekends are never working days"
    holiday = bank_holiday_name(day)
    if holiday:
        return f"{day:%-d %B %Y} is already a bank holiday ({holiday})"
    if day in local_closure_days() or ClosureDay.objects.filter(day=day).exists():
        return f"{day:%-d %B %Y} is already a closure day"
    return None


def _changed() -> None:
    forget_closure_days()
    transaction.on_commit(forget_closure_days)


@transaction.atomic
def add_closure_day(*, by: User, day: date, name: str) -> ClosureDay:
    """Add a day the team is closed; administrators only. It stops being a working day everywhere."""
    if not permissions.can_manage_closure_days(by):
        raise PermissionDenied
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"Enter a name of up to {NAME_MAX_LENGTH} characters")
    problem = closure_day_problem(day)
    if problem:
        raise ValidationError(problem)
    closure = ClosureDay.objects.create(day=day, name=name, added_by=by)
    record(by=by, action="closure_day.added", target=closure, day=day.isoformat())
    _changed()
    return closure


@transaction.atomic
def remove_closure_day(closure: ClosureDay, *, by: User) -> None:
    """Remove a closure day; administrators only. The day counts as a working day again."""
    if not permissions.can_manage_closure_days(by):
        raise PermissionDenied
    closure = ClosureDay.objects.select_for_update().filter(pk=closure.pk).first()
    if closure is None:
        return  # removed meanwhile (another tab): nothing left to do
    record(by=by, action="closure_day.removed", target=closure, day=closure.day.isoformat())
    closure.delete()
    _changed()
