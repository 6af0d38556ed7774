"""Every list page runs the same number of queries whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from cases import support
from referrals import advice


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_organisation_list(signed_in, make_organisation):
    admin = signed_in(Role.SYSTEM_ADMIN)
    few = queries(admin, reverse("accounts:organisation_list"))
    for _ in range(10):
        make_organisation(Organisation.Kind.PARTNER)
    assert queries(admin, reverse("accounts:organisation_list")) == few


def test_closure_day_list(signed_in):
    from datetime import date, timedelta

    from accounts import closures

    admin = signed_in(Role.SYSTEM_ADMIN)
    first = date(2027, 3, 3)  # Wednesdays, none a bank holiday
    closures.add_closure_day(by=admin.user, day=first, name="Team training day")
    few = queries(admin, reverse("accounts:closure_days"))
    for weeks in range(1, 11):
        closures.add_closure_day(by=admin.user, day=first + timedelta(weeks=weeks), name="Training")
    assert queries(admin, reverse("accounts:closure_days")) == few


def test_advice_list(signed_in, make_user):
    officer = signed_in(Role.PREVENT_OFFICER)
    partner = make_user(Role.REFERRER)
    advice.ask_advice(by=partner, question="One")
    few = queries(officer, reverse("referrals:advice_list"))
    for number in range(10):
        advice.ask_advice(by=make_user(Role.REFERRER), question=f"Worry {number}")
    assert queries(officer, reverse("referrals:advice_list")) == few


def test_panel_meetings_list(signed_in, make_user):
    supervisor = signed_in(Role.SUPERVISOR)
    support.create_meeting(by=supervisor.user, meets_on=timezone.localdate(), title="First", members=[])
    few = queries(supervisor, reverse("cases:meetings"))
    for number in range(10):
        support.create_meeting(by=supervisor.user, meets_on=timezone.localdate(), title=f"M{number}", members=[])
    assert queries(supervisor, reverse("cases:meetings")) == few


def test_provider_case_list(make_user):
    from django.test import Client

    from tests.cases.support_factories import case_in_support
    from tests.conftest import sign_in_client

    provider = make_user(Role.SUPPORT_PROVIDER)
    client = sign_in_client(Client(), provider)

    def share():
        case = case_in_support(make_user)
        support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["needs"])

    share()
    few = queries(client, reverse("cases:provided"))
    for _ in range(3):
        share()
    assert queries(client, reverse("cases:provided")) == few
