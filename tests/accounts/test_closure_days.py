"""Closure days added in the app: working-day targets skip them; weekends, bank holidays and repeats are refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import closures
from accounts.models import Role
from audit.models import AuditEvent
from core.calendar import working_days_after
from core.models import ClosureDay

MONDAY = date(2026, 11, 23)


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN)


def test_a_closure_day_added_moves_the_five_working_day_target(admin, django_capture_on_commit_callbacks):
    assert working_days_after(date(2026, 11, 20), 5) == date(2026, 11, 27)  # read, and cached, before the change
    with django_capture_on_commit_callbacks(execute=True):
        closure = closures.add_closure_day(by=admin, day=MONDAY, name="  Team training day ")
    assert closure.name == "Team training day" and closure.added_by == admin
    assert working_days_after(date(2026, 11, 20), 5) == date(2026, 11, 30)  # Monday skipped
    event = AuditEvent.objects.get(action="calendar.closure_day_added")
    assert event.target_id == str(closure.pk) and event.details == {"day": "2026-11-23"}
    with django_capture_on_commit_callbacks(execute=True):
        closures.remove_closure_day(closure, by=admin)
    assert working_days_after(date(2026, 11, 20), 5) == date(2026, 11, 27)
    assert AuditEvent.objects.filter(action="calendar.closure_day_removed").exists()


@pytest.mark.parametrize(
    "day, message",
    [
        (date(2026, 11, 21), "21 November 2026 is a Saturday: weekends are never working days"),
        (date(2026, 12, 25), "25 December 2026 is already a bank holiday (Christmas Day)"),
    ],
)
def test_weekends_and_bank_holidays_are_refused(admin, day, message):
    with pytest.raises(ValidationError) as refused:
        closures.add_closure_day(by=admin, day=day, name="Closed")
    assert refused.value.message_dict == {"day": [message]}


def test_a_day_added_twice_or_without_a_name_is_refused_and_only_administrators_add(admin, make_user):
    closures.add_closure_day(by=admin, day=MONDAY, name="Training")
    with pytest.raises(ValidationError, match="already a closure day"):
        closures.add_closure_day(by=admin, day=MONDAY, name="Again")
    with pytest.raises(ValidationError, match="Enter a name for the day"):
        closures.add_closure_day(by=admin, day=date(2026, 11, 24), name="  ")
    with pytest.raises(PermissionDenied):
        closures.add_closure_day(by=make_user(Role.SUPERVISOR), day=date(2026, 11, 25), name="Closed")
    assert ClosureDay.objects.count() == 1


def test_the_page_adds_a_day_keeps_what_was_typed_when_refused_and_removes_after_asking(admin, signed_in):
    client = signed_in(user=admin)
    url = reverse("accounts:closure_days")
    typed = {"day_day": "25", "day_month": "12", "day_year": "2026", "name": "Christmas closure"}
    refused = client.post(url, typed)
    body = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in body
    assert "already a bank holiday (Christmas Day)" in body and 'value="Christmas closure"' in body
    added = client.post(url, {**typed, "day_day": "23", "day_month": "11"})
    assert added.status_code == 302 and ClosureDay.objects.get().name == "Christmas closure"
    assert "23 November 2026" in client.get(url).content.decode()
    closure = ClosureDay.objects.get()
    remove = reverse("accounts:closure_day_remove", args=[closure.pk])
    assert "Make 23 November 2026 a working day again?" in client.get(remove).content.decode()
    assert ClosureDay.objects.exists()  # asking changes nothing
    assert client.post(remove).status_code == 302 and not ClosureDay.objects.exists()
