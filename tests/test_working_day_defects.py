"""Small defects found when the service was tried as a working day: each test fails without its fix."""

import subprocess
import sys

from django.test import override_settings
from django.urls import reverse

from accounts.models import Role
from referrals.forms import OnBehalfForm, PhoneAdviceForm
from tests.test_deployment import ROOT

DEV_ENV = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true"}
SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


def site_url(**env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SITE_URL}"],
        cwd=ROOT,
        env={**DEV_ENV, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_links_in_e_mails_use_the_port_make_run_serves_on():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(PORT="8123", SITE_URL="https://prevent.example.police.uk") == "https://prevent.example.police.uk"
    plan = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "PORT=8123" in plan.stdout and "runserver 127.0.0.1:8123" in plan.stdout


@override_settings(DEBUG=True)
def test_a_missing_page_is_the_services_own_page_even_with_debug_on(signed_in):
    officer = signed_in(Role.PREVENT_OFFICER)
    for path in ("/no-such-page/", reverse("cases:detail", args=["00000000-0000-0000-0000-000000000000"])):
        response = officer.get(path)
        page = response.content.decode()
        assert response.status_code == 404
        assert "Page not found" in page and "URLconf" not in page and "DEBUG = True" not in page


def test_the_favicon_browsers_ask_for_is_there(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file


def test_the_phone_advice_form_asks_who_asked_for_advice_not_who_referred():
    assert PhoneAdviceForm().fields["organisation"].label == "Which partner organisation asked for advice?"
    assert OnBehalfForm().fields["organisation"].label == "Which partner organisation made the referral?"


def test_alert_summaries_and_the_dashboard_say_one_thing_in_the_singular(db):
    from django.utils import timezone

    from audit.models import Alert
    from oversight.alerts.summary import summary

    def said(rule, count, **details):
        return summary(Alert(rule=rule, count=count, details=details, key="k", raised_at=timezone.now()))

    assert said(Alert.Rule.BULK_VIEWING, 1, minutes=1) == "1 record opened within 1 minute"
    assert said(Alert.Rule.BULK_VIEWING, 3, minutes=10) == "3 records opened within 10 minutes"
    assert said(Alert.Rule.DORMANT_ACCOUNT, 1).startswith("1 day since")
    assert said(Alert.Rule.DORMANT_ACCOUNT, 90).startswith("90 days since")
    template = (ROOT / "templates" / "reports" / "team.html").read_text()
    assert "{{ timing.due }} case{{ timing.due|pluralize }}" in template


def test_the_audit_search_gives_times_html_accepts(db, make_user, signed_in):
    """HTML's <time datetime> takes at most three digits of a second: the search gives whole seconds."""
    import re

    from audit.services import record
    from tests.oversight.helpers import search

    supervisor = signed_in(Role.SUPERVISOR)
    one = make_user(Role.PREVENT_OFFICER)
    record(by=one, action="user.viewed", target=one)
    page = search(supervisor, user=one.pk).content.decode()
    times = re.findall(r'<time datetime="([^"]+)"', page)
    assert times
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value
