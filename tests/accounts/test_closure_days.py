"""Local closure days administrators add in the service: every working-day calculation skips them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import closures
from accounts.models import Role
from audit.models import AuditEvent
from core.calendar import is_working_day, working_days_after
from core.models import ClosureDay
from tests.referrals.factories import make_referral

TRAINING = date(2027, 3, 3)  # a Wednesday, no bank holiday
URL = "accounts:closure_days"


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN)


def form(day: date, name="Team training day") -> dict:
    return {"day_day": day.day, "day_month": day.month, "day_year": day.year, "name": name}


def test_an_administrator_adds_a_closure_day_audited_and_it_is_no_longer_a_working_day(admin):
    assert is_working_day(TRAINING)
    closure = closures.add_closure_day(by=admin, day=TRAINING, name="Team training day")
    assert (closure.day, closure.name, closure.added_by) == (TRAINING, "Team training day", admin)
    event = AuditEvent.objects.get(action="closure_day.added")
    assert (event.target_id, event.actor_id, event.details["day"]) == (str(closure.pk), admin.pk, "2027-03-03")
    assert not is_working_day(TRAINING)
    assert working_days_after(date(2027, 3, 2), 1) == date(2027, 3, 4)


def test_a_closure_day_within_the_assessment_target_moves_the_five_working_day_target(admin, make_user):
    today = timezone.localdate()
    one_day_later = working_days_after(today, 6)
    closures.add_closure_day(by=admin, day=working_days_after(today, 1), name="Team training day")
    case = make_referral(make_user(Role.REFERRER)).case
    assert case.assessment_due == one_day_later


def test_removing_a_closure_day_makes_it_a_working_day_again_audited(admin):
    closure = closures.add_closure_day(by=admin, day=TRAINING, name="Team training day")
    assert not is_working_day(TRAINING)
    closures.remove_closure_day(closure, by=admin)
    assert is_working_day(TRAINING) and not ClosureDay.objects.exists()
    assert AuditEvent.objects.filter(action="closure_day.removed", target_id=str(closure.pk)).exists()


def test_the_calendar_reads_the_closure_days_from_the_cache_not_the_table_each_time(admin, django_assert_num_queries):
    closures.add_closure_day(by=admin, day=TRAINING, name="Team training day")
    assert not is_working_day(TRAINING)
    with django_assert_num_queries(0):
        assert not is_working_day(TRAINING) and working_days_after(date(2027, 3, 1), 5) == date(2027, 3, 9)


def test_only_administrators_keep_closure_days(make_user, admin):
    for role in (Role.PREVENT_OFFICER, Role.SUPERVISOR, Role.REFERRER):
        with pytest.raises(PermissionDenied):
            closures.add_closure_day(by=make_user(role), day=TRAINING, name="Team training day")
    closure = closures.add_closure_day(by=admin, day=TRAINING, name="Team training day")
    with pytest.raises(PermissionDenied):
        closures.remove_closure_day(closure, by=make_user(Role.SUPERVISOR))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 12, 25), "is already a bank holiday (Christmas Day)"),
        (date(2027, 3, 6), "is a Saturday: weekends are never working days"),
    ],
)
def test_a_bank_holiday_or_a_weekend_is_refused_by_the_service(admin, day, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        closures.add_closure_day(by=admin, day=day, name="Team training day")
    assert not ClosureDay.objects.exists()


def test_a_day_closed_already_in_the_configuration_is_refused(admin, settings):
    settings.LOCAL_CLOSURE_DAYS = ["2027-03-03"]
    with pytest.raises(ValidationError, match="is already a closure day"):
        closures.add_closure_day(by=admin, day=TRAINING, name="Team training day")


def test_the_page_adds_a_closure_day_and_lists_it(signed_in):
    admin = signed_in(Role.SYSTEM_ADMIN)
    response = admin.post(reverse(URL), form(TRAINING))
    assert response.status_code == 302
    page = admin.get(reverse(URL)).content.decode()
    assert "Team training day" in page and "Wednesday 3 March 2027" in page
    assert not is_working_day(TRAINING)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"day_day": "31", "day_month": "2", "day_year": "2027", "name": "Training"}, "The date must be a real date"),
        (form(date(2026, 12, 25)), "is already a bank holiday"),
        ({**form(TRAINING), "name": ""}, "Enter a name for the closure day"),
    ],
)
def test_bad_input_is_told_by_the_field_with_what_was_typed_kept(signed_in, typed, message):
    admin = signed_in(Role.SYSTEM_ADMIN)
    response = admin.post(reverse(URL), typed)
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "govuk-error-summary" in page
    assert f'value="{typed["day_year"]}"' in page
    assert not ClosureDay.objects.exists()


def test_a_duplicate_is_refused_on_the_page(signed_in):
    admin = signed_in(Role.SYSTEM_ADMIN)
    closures.add_closure_day(by=admin.user, day=TRAINING, name="Team training day")
    response = admin.post(reverse(URL), form(TRAINING, name="Again"))
    assert response.status_code == 200 and "3 March 2027 is already a closure day" in response.content.decode()
    assert ClosureDay.objects.count() == 1


def test_the_page_removes_a_closure_day(signed_in):
    admin = signed_in(Role.SYSTEM_ADMIN)
    closure = closures.add_closure_day(by=admin.user, day=TRAINING, name="Team training day")
    response = admin.post(reverse("accounts:closure_day_remove", kwargs={"pk": closure.pk}))
    assert response.status_code == 302 and not ClosureDay.objects.exists() and is_working_day(TRAINING)
