"""Shared markup lives in templates/components/: one error summary, one pagination, one cursor pagination."""

import re
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import Alert
from audit.services import record
from cases import break_glass, services
from cases.models import BreakGlass, Case
from oversight import services as oversight_services
from tests.referrals.factories import make_referral

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
COMPONENTS = TEMPLATES / "components"


def templates_outside_the_components():
    return [path for path in TEMPLATES.rglob("*.html") if COMPONENTS not in path.parents]


@pytest.mark.parametrize("marker", ["govuk-pagination", "govuk-error-summary", "?page=", "after=", "before="])
def test_no_template_but_a_component_renders_a_pagination_or_an_error_summary(marker):
    assert [str(path) for path in templates_outside_the_components() if marker in path.read_text()] == []


def test_each_component_opens_with_a_comment_on_how_to_use_it():
    components = sorted(COMPONENTS.glob("*.html"))
    assert {path.name for path in components} >= {"error_summary.html", "pagination.html", "cursor_pagination.html"}
    for path in components:
        lines = path.read_text().splitlines()
        opening = lines[: next(n for n, line in enumerate(lines) if not line.startswith("{#"))]
        # One-line comments: a {# #} comment cannot span lines (it would be printed).
        assert opening and all(line.endswith("#}") for line in opening), path.name
        assert any("{% include" in line for line in opening), path.name


def test_no_template_prints_non_field_errors_beside_the_summary():
    # The summary shows a form's own errors; printing form.non_field_errors as well shows them twice.
    assert [str(path) for path in templates_outside_the_components() if "non_field_errors" in path.read_text()] == []


# --- a non-field error is shown once ---------------------------------------------------------------


def shown_once(response, message: str):
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(message) == 1, body.count(message)
    assert body.count('class="govuk-error-summary"') == 1


@pytest.fixture
def team(make_user):
    return {
        "owner": make_user(Role.PREVENT_OFFICER),
        "officer": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "second_supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


def owned_case(team) -> Case:
    case = make_referral(team["partner"]).case
    return services.assign(case, to=team["owner"], by=team["supervisor"])


def test_the_person_search_shows_its_non_field_error_once(team, signed_in):
    officer = signed_in(user=team["officer"])
    shown_once(officer.post(reverse("cases:search"), {"name": ""}), "Enter at least one thing to search for")


def test_a_case_form_shows_a_stale_version_once(team, signed_in):
    case = owned_case(team)
    case = services.move(case, by=team["owner"], action="start_gathering")
    case = services.move(case, by=team["owner"], action="start_assessment")
    owner = signed_in(user=team["owner"])
    response = owner.post(
        reverse("cases:assess", args=[case.pk]),
        {
            "version": case.version - 1,
            "concern_type": "extreme_right_wing",
            "engagement_rating": "medium",
            "intent_rating": "low",
            "capability_rating": "none",
            "rationale": "Some engagement, no intent.",
        },
    )
    shown_once(response, "While you were looking at this case")


def test_the_alert_review_shows_that_someone_reviewed_it_first_once(team, signed_in, make_user):
    alert = Alert.objects.create(
        rule=Alert.Rule.OUT_OF_HOURS,
        user=make_user(Role.PREVENT_OFFICER),
        key=uuid.uuid4().hex,
        raised_at=timezone.now(),
        count=3,
        details={"minutes": 10},
    )
    oversight_services.review_alert(alert, by=team["second_supervisor"], note="Looked into it.")
    supervisor = signed_in(user=team["supervisor"])
    response = supervisor.post(reverse("audit:alert_review", args=[alert.pk]), {"note": "Me too."})
    shown_once(response, "already reviewed this alert")


def test_the_break_glass_review_shows_that_someone_reviewed_it_first_once(team, signed_in, monkeypatch):
    grant = break_glass.open_with_reason(
        owned_case(team), by=team["officer"], reason_code=BreakGlass.Reason.COVERING, reason="Covering for DC Amos."
    )
    real = break_glass.review_access

    def reviewed_meanwhile(access, **kwargs):
        # Another supervisor's request lands between this one's page and its POST.
        real(access, by=team["second_supervisor"], verdict=BreakGlass.Verdict.APPROPRIATE)
        return real(access, **kwargs)

    monkeypatch.setattr(break_glass, "review_access", reviewed_meanwhile)
    supervisor = signed_in(user=team["supervisor"])
    response = supervisor.post(
        reverse("cases:break_glass_review", args=[grant.pk]), {"verdict": BreakGlass.Verdict.APPROPRIATE}
    )
    shown_once(response, "already reviewed this access")


def test_the_break_glass_reason_page_shows_a_refusal_of_the_whole_form_once(team, signed_in, monkeypatch):
    def refused(case, **kwargs):
        # No rule refuses the whole reason today; the page must still show such a refusal once.
        raise ValidationError("Break-glass is paused for maintenance.")

    monkeypatch.setattr(break_glass, "open_with_reason", refused)
    officer = signed_in(user=team["officer"])
    response = officer.post(
        reverse("cases:reason", args=[owned_case(team).pk]),
        {"reason_code": BreakGlass.Reason.COVERING, "reason": "Covering for DC Amos."},
    )
    shown_once(response, "Break-glass is paused for maintenance.")


# --- links to other pages keep the filters ---------------------------------------------------------


def links(response, rel: str) -> list[str]:
    return re.findall(rf'href="([^"]*)" rel="{rel}"', response.content.decode())


def test_a_page_link_keeps_the_other_query_parameters(team, signed_in, make_user, settings):
    settings.PAGE_SIZE = 1
    for _ in range(3):
        Alert.objects.create(
            rule=Alert.Rule.OUT_OF_HOURS,
            user=make_user(Role.PREVENT_OFFICER),
            key=uuid.uuid4().hex,
            raised_at=timezone.now(),
            count=3,
            details={"minutes": 10},
        )
    supervisor = signed_in(user=team["supervisor"])
    url = reverse("audit:alerts")
    first = supervisor.get(url, {"rule": Alert.Rule.OUT_OF_HOURS, "show": "all"})
    [following] = links(first, "next")
    assert following == f"?rule={Alert.Rule.OUT_OF_HOURS}&amp;show=all&amp;page=2"
    second = supervisor.get(url + following.replace("&amp;", "&"))
    assert second.context["page"].number == 2 and second.context["show"] == "all"
    [back] = links(second, "prev")
    assert back == f"?rule={Alert.Rule.OUT_OF_HOURS}&amp;show=all&amp;page=1"


def test_a_cursor_link_keeps_the_filters_and_sort(team, signed_in, settings):
    settings.PAGE_SIZE = 1
    for _ in range(3):
        make_referral(team["partner"])
    officer = signed_in(user=team["officer"])
    first = officer.get(reverse("cases:queue"), {"sort": "newest", "status": "all"})
    [following] = links(first, "next")
    assert following.startswith("?sort=newest&amp;status=all&amp;after=")
    second = officer.get(reverse("cases:queue") + following.replace("&amp;", "&"))
    assert not second.context["page"].first
    assert second.context["rows"][0]["case"].pk != first.context["rows"][0]["case"].pk
    restart = re.search(
        r'href="([^"]*)"><span class="govuk-pagination__link-title">First page', second.content.decode()
    )
    assert restart.group(1) == "?sort=newest&amp;status=all"


def test_the_audit_trail_links_keep_the_filters_both_ways(team, signed_in, settings):
    settings.PAGE_SIZE = 1
    for _ in range(3):
        record(by=team["officer"], action="case.viewed", case=uuid.uuid4())
    supervisor = signed_in(user=team["supervisor"])
    url = reverse("audit:search")
    first = supervisor.get(url, {"action": "case.viewed"})
    [older] = links(first, "next")
    assert older.startswith("?action=case.viewed&amp;after=")
    second = supervisor.get(url + older.replace("&amp;", "&"))
    [newer] = links(second, "prev")
    assert newer.startswith("?action=case.viewed&amp;before=") and "after=" not in newer
