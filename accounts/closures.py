"""The days the team is closed besides bank holidays: administrators add and remove them (core.models.ClosureDay).

Working-day targets, reminders, overdue flags, the reports and the out-of-hours alert read them through
`core.calendar`; each change forgets the cached days once it commits, so the next count reads them again.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from audit.services import record
from core.calendar import bank_holiday_name, forget_closure_days
from core.models import ClosureDay
from core.notes import bounded

NAME_MAX_LENGTH = 100


@transaction.atomic
def add_closure_day(*, by: User, day: date, name: str) -> ClosureDay:
    """Add a day the team is closed; a weekend, a bank holiday or a day already added is refused."""
    if not permissions.can_manage_closure_days(by):
        raise PermissionDenied
    name = bounded(
        name, field="name", limit=NAME_MAX_LENGTH, what="The name", required_message="Enter a name for the day"
    )
    holiday = bank_holiday_name(day)
    if day.weekday() >= 5:
        raise ValidationError({"day": f"{day:%-d %B %Y} is a {day:%A}: weekends are never working days"})
    if holiday:
        raise ValidationError({"day": f"{day:%-d %B %Y} is already a bank holiday ({holiday})"})
    if ClosureDay.objects.filter(day=day).exists():
        raise ValidationError({"day": f"{day:%-d %B %Y} is already a closure day"})
    closure = ClosureDay.objects.create(day=day, name=name, added_by=by, added_at=timezone.now())
    record(by=by, action="calendar.closure_day_added", target=closure, day=day.isoformat())
    transaction.on_commit(forget_closure_days)
    return closure


@transaction.atomic
def remove_closure_day(closure: ClosureDay, *, by: User) -> None:
    """Take a closure day off: it is a working day again."""
    if not permissions.can_manage_closure_days(by):
        raise PermissionDenied
    record(by=by, action="calendar.closure_day_removed", target=closure, day=closure.day.isoformat())
    closure.delete()
    transaction.on_commit(forget_closure_days)
