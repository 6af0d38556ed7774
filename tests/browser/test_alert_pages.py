"""A supervisor works through the alerts on unusual access in a real browser, checked with axe-core."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import Alert
from audit.services import record
from oversight.alerts import raise_all_alerts
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_journey import expect_errors, sign_in

pytestmark = pytest.mark.browser


def test_a_supervisor_reviews_an_alert_on_accessible_pages(page, make_user):
    with time_machine.travel(datetime.now(tz=UTC) - timedelta(days=120), tick=False):
        make_user(Role.REFERRER)  # never signed in since: dormant
    officer = make_user(Role.PREVENT_OFFICER)
    for _ in range(51):
        record(by=officer, action="case.viewed", case=uuid.uuid4())
    raise_all_alerts()
    bulk = Alert.objects.get(rule=Alert.Rule.BULK_VIEWING)
    supervisor = make_user(Role.SUPERVISOR)

    sign_in(page, supervisor)
    page.goto("/audit/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts on unusual access")
    expect(page.get_by_role("row", name="Bulk viewing 1 1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Review alert {bulk.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk viewing")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as reviewed").click()
    expect_errors(page, "Enter a note about what you found")

    page.get_by_label("Review note").fill("Spoke to the officer: preparing the monthly return.")
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Alert {bulk.pk} marked as reviewed")
    expect(page.get_by_role("link", name=f"Review alert {bulk.pk}")).to_have_count(0)

    page.get_by_label("Show").select_option("reviewed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("cell", name=f"Reviewed by {supervisor.full_name}", exact=False)).to_be_visible()
    assert_accessible(page)
