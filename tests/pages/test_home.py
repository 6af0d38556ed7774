"""The home page shows each role what is waiting for it: counts that link to the filtered lists."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases import services, support
from cases.models import Case, Outcome
from notifications.models import Notification
from notifications.services import notify
from tests.cases.support_factories import ANSWERS, case_in_support, plan_support
from tests.referrals.factories import make_draft, make_referral


def _home(client) -> str:
    response = client.get(reverse("pages:home"))
    assert response.status_code == 200
    return response.content.decode()


def _link(body: str, href: str, count: int, text: str) -> bool:
    href = href.replace("&", "&amp;")
    return f'href="{href}"><span class="app-waiting__count">{count}</span> {text}</a>' in body


def test_an_officer_sees_new_referrals_their_due_and_overdue_assessments_and_reviews(
    make_user, signed_in, time_machine
):
    partner = make_user(Role.REFERRER)
    officer = signed_in(Role.PREVENT_OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    make_referral(partner)  # new, unassigned
    mine = services.assign(make_referral(partner, surname="Other").case, to=officer.user, by=supervisor)
    body = _home(officer)
    assert _link(body, "/cases/?status=new&assigned=none", 1, "new referral to triage")
    assert _link(body, "/cases/?assigned=me", 1, "assessment due")
    assert _link(body, "/cases/?assigned=me&overdue=on", 0, "assessments overdue")
    time_machine.move_to(timezone.now() + timedelta(days=30), tick=False)
    officer = signed_in(user=officer.user)  # a month later: a new session
    body = _home(officer)
    assert _link(body, "/cases/?assigned=me&overdue=on", 1, "assessment overdue")
    assert "govuk-tag--red" in body
    # The link opens the list it counts.
    rows = officer.get(reverse("cases:queue"), {"assigned": "me", "overdue": "on"}).context["rows"]
    assert [row["case"].pk for row in rows] == [mine.pk]


def test_a_supervisor_sees_sign_offs_waiting_but_never_their_own(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    supervisor = signed_in(Role.SUPERVISOR)
    officer = make_user(Role.PREVENT_OFFICER)
    for decider in (officer, supervisor.user):
        case = services.assign(make_referral(partner, surname=f"S{decider.pk}").case, to=decider, by=supervisor.user)
        case = services.move(case, by=decider, action="start_gathering")
        case = services.move(case, by=decider, action="start_assessment")
        services.record_assessment(case, by=decider, answers=ANSWERS, rationale="Vulnerable.", expected_version=None)
        case = Case.objects.get(pk=case.pk)
        services.record_decision(case, by=decider, outcome=Outcome.CHANNEL, rationale="Panel.", expected_version=None)
    assert Case.objects.filter(status=Case.Status.AWAITING_SIGN_OFF).count() == 2
    body = _home(supervisor)
    assert _link(body, "/cases/?status=awaiting_sign_off", 1, "decision to sign off")
    assert _link(body, reverse("cases:break_glass_queue"), 0, "break-glass accesses to review")
    assert _link(body, reverse("retention:queue"), 0, "retention reviews")


def test_a_referrer_sees_drafts_new_feedback_and_advice_replies(make_user, signed_in):
    partner = signed_in(Role.REFERRER)
    make_draft(partner.user)
    referral = make_referral(partner.user)
    notify([partner.user], kind=Notification.Kind.REFERRAL_FEEDBACK, reference=referral.reference, link="/referrals/")
    body = _home(partner)
    assert _link(body, reverse("referrals:list"), 1, "draft referral to finish")
    assert _link(body, reverse("referrals:list"), 1, "referral with new feedback")
    assert "new replies to your advice requests" in body
    assert "Your cases" not in body  # no officer's work for a partner


def test_a_provider_sees_cases_given_to_them_and_updates_due(make_user, signed_in):
    case = case_in_support(make_user)
    provider = signed_in(Role.SUPPORT_PROVIDER)
    plan_support(case)
    support.grant_provider(case, by=case.assigned_to, provider=provider.user, sections=["support_plan"])
    body = _home(provider)
    assert _link(body, reverse("cases:provided"), 1, "case shared with you")
    assert _link(body, reverse("cases:provided"), 1, "progress update due")
    support.record_progress(Case.objects.get(pk=case.pk), by=provider.user, text="Two sessions.")
    assert _link(_home(provider), reverse("cases:provided"), 0, "progress updates due")


def test_a_panel_member_sees_their_next_meetings_named_and_audited(make_user, signed_in):
    member = signed_in(Role.PANEL_MEMBER)
    supervisor = make_user(Role.SUPERVISOR)
    today = timezone.localdate()
    past = support.create_meeting(
        by=supervisor, meets_on=today - timedelta(days=7), title="Last", members=[member.user]
    )
    soon = support.create_meeting(
        by=supervisor, meets_on=today + timedelta(days=7), title="Next", members=[member.user]
    )
    support.list_case(soon, case=case_in_support(make_user, stop_at="channel"), by=supervisor)
    body = _home(member)
    assert f'href="{reverse("cases:meeting", args=[soon.pk])}">Next, ' in body and "1 case on the agenda" in body
    assert str(past.pk) not in body
    event = AuditEvent.objects.get(action="panel.list_viewed", actor=member.user)
    assert event.details["ids"] == [str(soon.pk)]


def test_the_home_page_runs_a_fixed_number_of_queries_whatever_the_caseload(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    supervisor = signed_in(Role.SUPERVISOR, Role.PREVENT_OFFICER)
    make_referral(partner)
    _home(supervisor)  # warms the caches
    counts = []
    for more in (0, 15):
        for number in range(more):
            make_referral(partner, surname=f"More{number}")
        with CaptureQueriesContext(connection) as queries:
            _home(supervisor)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    # Session, user, device, roles; one query per kind of work (several counts each); the notices.
    assert counts[0] <= 14, counts
