"""The report pages: who sees them, what they show, what they record, and a fixed number of queries."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.reports.conftest import TODAY

PERIOD = {"from_day": "2", "from_month": "3", "from_year": "2026", "to_day": "29", "to_month": "3", "to_year": "2026"}


@pytest.fixture
def today(world):
    with time_machine.travel(TODAY.isoformat() + " 12:00", tick=False):
        yield TODAY


def events(user, action):
    return list(AuditEvent.objects.filter(actor=user, action=action))


def test_the_team_dashboard_shows_the_figures_and_records_the_view(
    world, today, signed_in, django_assert_max_num_queries
):
    client = signed_in(user=world["officer"])
    with django_assert_max_num_queries(TEAM_QUERIES):
        response = client.get(reverse("reports:team"), PERIOD)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Assessed within target: <strong>33%</strong> (1 of 3 cases due or assessed)" in text
    assert 'role="img"' in text and '<desc id="chart-weekly-desc">' in text
    for referral in world["referrals"]:
        assert referral.reference not in text
    assert "Stone" not in text  # the person referred: never in a report
    [event] = events(world["officer"], "dashboard.viewed")
    assert event.details["dashboard"] == "team" and event.details["period"] == ["2026-03-02", "2026-03-29"]


def test_the_team_dashboard_runs_the_same_queries_on_an_empty_service(signed_in, django_assert_max_num_queries):
    client = signed_in(Role.SUPERVISOR)
    with django_assert_max_num_queries(TEAM_QUERIES):
        assert client.get(reverse("reports:team")).status_code == 200


def test_the_management_view_compares_periods(world, today, signed_in, django_assert_max_num_queries):
    client = signed_in(user=world["supervisor"])
    with django_assert_max_num_queries(MANAGEMENT_QUERIES):
        response = client.get(reverse("reports:management"), {**PERIOD, "area": str(world["north"].pk)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "from partners in North" in text
    assert "Education: 3 this period, 0 previous period" in text  # the chart's text alternative
    assert events(world["supervisor"], "dashboard.viewed")[0].details["area_id"] == world["north"].pk


def test_an_officer_may_not_open_the_management_view_or_the_return(world, signed_in):
    client = signed_in(user=world["officer"])
    assert client.get(reverse("reports:management")).status_code == 403
    assert client.get(reverse("reports:statistics_return")).status_code == 403


@pytest.mark.parametrize("role", [Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.SYSTEM_ADMIN])
def test_providers_panel_members_and_administrators_see_no_dashboard(role, signed_in):
    client = signed_in(role)
    for name in ("reports:team", "reports:management", "reports:organisation", "reports:statistics_return"):
        assert client.get(reverse(name)).status_code == 403


def test_a_partner_sees_only_its_own_organisations_counts(world, today, signed_in, django_assert_max_num_queries):
    client = signed_in(user=world["partner_a"])
    with django_assert_max_num_queries(PARTNER_QUERIES):
        response = client.get(reverse("reports:organisation"), PERIOD)
    text = response.content.decode()
    assert "Referrals Riverside Academy submitted" in text
    assert "3 against 0" in text  # r1, r2, r5; partner B's r3 is not counted
    assert "Hill Surgery" not in text
    assert client.get(reverse("reports:team")).status_code == 403


def test_a_wrong_date_is_explained_next_to_the_field_and_kept(world, signed_in):
    client = signed_in(user=world["supervisor"])
    response = client.get(reverse("reports:management"), {**PERIOD, "to_month": "13", "area": "999"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Date to must be a real date" in text
    assert "Select a partner area from the list" in text
    assert 'name="to_month" value="13"' in text


def test_date_to_before_date_from_is_refused(world, signed_in):
    client = signed_in(user=world["supervisor"])
    response = client.get(reverse("reports:statistics_return"), {**PERIOD, "to_year": "2025"})
    assert "Date to must be the same as or after date from" in response.content.decode()
    assert not events(world["supervisor"], "report.generated")


def test_producing_and_downloading_the_return_are_recorded(
    world, today, signed_in, settings, django_assert_max_num_queries
):
    settings.REPORTS_SUPPRESSION_THRESHOLD = 2
    client = signed_in(user=world["supervisor"])
    assert client.get(reverse("reports:statistics_return")).status_code == 200
    assert not events(world["supervisor"], "report.generated")  # the form alone produces nothing
    with django_assert_max_num_queries(RETURN_QUERIES):
        response = client.get(reverse("reports:statistics_return"), PERIOD)
    assert "Download the return as CSV" in response.content.decode()
    [generated] = events(world["supervisor"], "report.generated")
    assert generated.details["period"] == ["2026-03-02", "2026-03-29"]
    response = client.get(reverse("reports:statistics_return_csv"), PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    assert "prevent-statistics-2026-03-02-to-2026-03-29.csv" in response["Content-Disposition"]
    body = response.content.decode()
    assert "Sector of the referrer,Health,*,0,0" in body
    assert "Stone" not in body and "Riverside" not in body
    assert len(events(world["supervisor"], "report.downloaded")) == 1


def test_a_bad_period_on_the_download_goes_back_to_the_form(world, signed_in):
    client = signed_in(user=world["supervisor"])
    response = client.get(reverse("reports:statistics_return_csv"), {**PERIOD, "from_day": "x"})
    assert response.status_code == 200 and "Date from must be a real date" in response.content.decode()
    assert not events(world["supervisor"], "report.downloaded")


# Fixed whatever the data size (the session, the user, permissions and the audit insert included).
# Session, user, authenticator app, roles and permissions, then the page's own queries, then the audit INSERT.
TEAM_QUERIES = 10  # areas, open work, referrals per week, timeliness, workload
MANAGEMENT_QUERIES = 9  # areas, referrals grouped by every dimension at once, consent, concern-type names
PARTNER_QUERIES = 7  # (no authenticator app) by status, by concern type, concern-type names
RETURN_QUERIES = 9  # areas, four dimensions at once, outcomes, concern-type names
