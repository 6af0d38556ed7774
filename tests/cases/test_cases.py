from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases import intake, lifecycle, services
from cases.models import TRANSITIONS, Case, Decision, Outcome
from core.calendar import working_days_after
from tests.referrals.factories import make_referral

ANSWERS = {"engagement": {"rating": "low", "notes": ""}, "intent": {"rating": "none", "notes": ""}}


@pytest.fixture
def team(make_user):
    return {
        "officer": make_user(Role.PREVENT_OFFICER),
        "other_officer": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "second_supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


@pytest.fixture
def case(team):
    return make_referral(team["partner"]).case


def assigned(case, team):
    return services.assign(case, to=team["officer"], by=team["supervisor"])


def to_assessment(case, team):
    case = assigned(case, team)
    case = services.move(case, by=team["officer"], action="start_gathering")
    return services.move(case, by=team["officer"], action="start_assessment")


def assessed(case, team):
    case = to_assessment(case, team)
    services.record_assessment(case, by=team["officer"], answers=ANSWERS, rationale="Low risk.", expected_version=None)
    return Case.objects.get(pk=case.pk)


def test_a_sent_referral_opens_a_new_case_due_in_five_working_days(case):
    assert case.status == Case.Status.NEW and case.reference.startswith("PC-")
    assert case.referrals.count() == 1 and case.sector == "education"
    received = timezone.localdate(case.received_at)
    assert case.assessment_due == working_days_after(received, 5) and case.assessment_due.weekday() < 5
    assert AuditEvent.objects.filter(action="case.opened", target_id=str(case.pk)).exists()


def test_a_referral_sent_on_christmas_eve_is_due_after_the_bank_holidays(team, time_machine):
    time_machine.move_to("2026-12-24 10:00 +00:00", tick=False)
    case = make_referral(team["partner"]).case
    # Christmas Day, Boxing Day (observed, Monday 28) and New Year's Day are not working days.
    assert case.assessment_due == date(2027, 1, 5)


def test_an_officer_takes_an_unassigned_case_but_cannot_take_anothers(case, team):
    services.assign(case, to=team["officer"], by=team["officer"])
    with pytest.raises(PermissionDenied):
        services.assign(case, to=team["other_officer"], by=team["other_officer"])
    event = AuditEvent.objects.get(action="case.assigned")
    assert event.details["to_user_id"] == team["officer"].pk


def test_a_supervisor_reassigns_and_it_is_audited(case, team):
    assigned(case, team)
    services.assign(case, to=team["other_officer"], by=team["supervisor"])
    event = AuditEvent.objects.get(action="case.reassigned")
    assert event.details == {"to_user_id": team["other_officer"].pk, "from_user_id": team["officer"].pk}
    assert Case.objects.get(pk=case.pk).events.first().what.startswith("Assigned to")


def test_cases_go_only_to_the_prevent_team(case, team):
    with pytest.raises(PermissionDenied):
        services.assign(case, to=team["partner"], by=team["supervisor"])


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_every_move_is_refused_from_a_status_it_does_not_start_from(case, team, transition):
    wrong = next(status for status in Case.Status.values if status not in transition.source)
    Case.objects.filter(pk=case.pk).update(status=wrong, assigned_to=team["officer"])
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="so you cannot"):
        lifecycle.move_case(case, by=team["supervisor"], action=transition.action)


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_every_move_is_allowed_from_its_start_by_the_right_people(case, team, transition):
    Case.objects.filter(pk=case.pk).update(status=transition.source[0], assigned_to=team["officer"])
    case.refresh_from_db()
    if transition.who == "supervisor":
        with pytest.raises(PermissionDenied):
            lifecycle.move_case(case, by=team["officer"], action=transition.action)
    if transition.who != "triage" or case.status != Case.Status.NEW:
        with pytest.raises(PermissionDenied):
            lifecycle.move_case(case, by=team["other_officer"], action=transition.action)
    with pytest.raises(PermissionDenied):
        lifecycle.move_case(case, by=team["partner"], action=transition.action)
    mover = team["supervisor"] if transition.who == "supervisor" else team["officer"]
    moved = lifecycle.move_case(case, by=mover, action=transition.action)
    assert moved.status == transition.target


def test_the_decision_needs_an_assessment_first(case, team):
    case = to_assessment(case, team)
    with pytest.raises(ValidationError, match="Record the assessment"):
        services.record_decision(case, by=team["officer"], outcome=Outcome.NFA, rationale="x", expected_version=None)


def test_a_decision_waits_for_a_different_supervisors_sign_off(case, team, settings):
    settings.OUTCOMES_NEEDING_SIGN_OFF = ["channel"]
    case = assessed(case, team)
    services.record_decision(
        case, by=team["supervisor"], outcome=Outcome.CHANNEL, rationale="Vulnerable.", expected_version=None
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_SIGN_OFF and case.outcome == ""
    with pytest.raises(ValidationError, match="Someone other than"):
        services.sign_off_decision(case, by=team["supervisor"], approve=True, expected_version=None)
    services.sign_off_decision(case, by=team["second_supervisor"], approve=True, expected_version=None)
    case.refresh_from_db()
    assert case.status == Case.Status.CHANNEL and case.outcome == Outcome.CHANNEL
    decision = case.decisions.get()
    assert decision.state == Decision.State.STANDS and decision.signed_off_by == team["second_supervisor"]
    assert AuditEvent.objects.filter(action="case.decision_signed_off").exists()


def test_an_outcome_without_sign_off_stands_at_once(case, team, settings):
    settings.OUTCOMES_NEEDING_SIGN_OFF = []
    case = assessed(case, team)
    services.record_decision(case, by=team["officer"], outcome=Outcome.NFA, rationale="Nothing.", expected_version=None)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closed_at and case.outcome == "nfa"


def test_a_returned_decision_goes_back_to_assessment(case, team):
    case = assessed(case, team)
    services.record_decision(case, by=team["officer"], outcome=Outcome.PURSUE, rationale="CT.", expected_version=None)
    services.sign_off_decision(case, by=team["supervisor"], approve=False, note="More checks.", expected_version=None)
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT
    assert case.decisions.get().state == Decision.State.RETURNED


def test_closure_is_signed_off_by_someone_other_than_the_proposer(case, team, settings):
    settings.OUTCOMES_NEEDING_SIGN_OFF = []
    case = assessed(case, team)
    services.record_decision(
        case, by=team["officer"], outcome=Outcome.POLICE_LED, rationale="Support.", expected_version=None
    )
    case = services.move(Case.objects.get(pk=case.pk), by=team["officer"], action="propose_closure")
    assert case.status == Case.Status.CLOSURE_PENDING
    services.sign_off_closure(case, by=team["supervisor"], approve=True, expected_version=None)
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_the_second_of_two_officers_is_told_what_changed_and_nothing_is_overwritten(case, team):
    case = assigned(case, team)
    seen = case.version
    services.move(case, by=team["officer"], action="start_gathering", expected_version=seen)
    with pytest.raises(services.Conflict) as conflict:
        services.assign(case, to=team["other_officer"], by=team["supervisor"], expected_version=seen)
    message = conflict.value.messages[0]
    assert team["officer"].full_name in message and "Start information gathering" in message
    assert Case.objects.get(pk=case.pk).assigned_to == team["officer"]


def test_the_conflict_reaches_the_user_as_a_message(case, team, signed_in):
    supervisor = signed_in(user=team["supervisor"])
    case = assigned(case, team)
    stale = case.version
    services.move(case, by=team["officer"], action="start_gathering")
    response = supervisor.post(
        reverse("cases:move", args=[case.pk]), {"action": "start_assessment", "version": stale}, follow=True
    )
    assert "While you were looking at this case" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.GATHERING


def test_an_officer_opens_new_and_own_cases_only_and_supervisors_open_all(case, team, signed_in):
    officer, other = signed_in(user=team["officer"]), signed_in(user=team["other_officer"])
    url = reverse("cases:detail", args=[case.pk])
    assert other.get(url).status_code == 200  # new, awaiting triage
    assigned(case, team)
    assert officer.get(url).status_code == 200
    views_before = AuditEvent.objects.filter(action="case.viewed", actor=team["other_officer"]).count()
    # Outside their caseload: asked for a reason first (break-glass), and nothing is shown or logged as viewed.
    assert other.get(url)["Location"] == reverse("cases:reason", args=[case.pk])
    assert AuditEvent.objects.filter(action="case.viewed", actor=team["other_officer"]).count() == views_before
    assert signed_in(user=team["supervisor"]).get(url).status_code == 200
    referral = case.referrals.get()
    assert other.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


def test_partners_administrators_and_providers_never_open_cases(case, signed_in):
    for role in (Role.REFERRER, Role.SYSTEM_ADMIN, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER):
        client = signed_in(role)
        assert client.get(reverse("cases:queue")).status_code == 403
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 403


def test_checks_and_deconfliction_are_recorded_for_police_eyes(case, team, signed_in):
    case = assigned(case, team)
    services.move(case, by=team["officer"], action="start_gathering")
    officer = signed_in(user=team["officer"])
    officer.post(
        reverse("cases:record_check", args=[case.pk]),
        {"kind": "deconfliction", "result": "no_trace", "note": "Not known to CT policing."},
    )
    check = case.checks.get()
    assert check.get_result_display() == "No trace"
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Not known to CT policing." in page and "Police only" in page
    partner_page = signed_in(user=team["partner"]).get(reverse("referrals:detail", args=[case.referrals.get().pk]))
    assert b"Not known to CT policing." not in partner_page.content


def test_the_assessment_records_its_template_version(case, team, signed_in):
    case = to_assessment(case, team)
    officer = signed_in(user=team["officer"])
    response = officer.post(
        reverse("cases:assess", args=[case.pk]),
        {
            "version": Case.objects.get(pk=case.pk).version,
            "concern_type": "extreme_right_wing",
            "engagement_rating": "medium",
            "intent_rating": "low",
            "capability_rating": "none",
            "rationale": "Some engagement, no intent.",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assessed_concern_type.code == "extreme_right_wing"
    event = AuditEvent.objects.filter(action="case.assessed", case_id=case.pk).get()
    assert event.details["concern_type"] == "extreme_right_wing"
    assessment = case.assessments.get()
    assert assessment.template.version == "public-2012"
    assert assessment.answers["engagement"] == {"rating": "medium", "notes": ""}


def test_the_queue_runs_a_fixed_number_of_queries_and_shows_no_free_text(
    team, signed_in, django_assert_max_num_queries
):
    officer = signed_in(user=team["officer"])
    make_referral(team["partner"], surname="Distinctivename")
    officer.get(reverse("cases:queue"))  # warms the officer and code lists (cached for a minute)
    # The page's reads (the user's saved filters among them, one query), then its audit: one event and one
    # INSERT of its ListedCase rows.
    with django_assert_max_num_queries(8):
        officer.get(reverse("cases:queue"))
    for _ in range(12):
        make_referral(team["partner"])
    with django_assert_max_num_queries(8):
        response = officer.get(reverse("cases:queue") + "?sort=newest&assigned=&status=all")
    body = response.content.decode()
    assert "Distinctivename" not in body and "sharing violent material" not in body
    assert body.count("PC-") == 13


def test_the_queue_filters_and_pages_by_keyset(team, signed_in, settings):
    settings.PAGE_SIZE = 3
    for _ in range(7):
        make_referral(team["partner"])
    mine = Case.objects.first()
    assigned(mine, team)
    officer = signed_in(user=team["officer"])
    seen, url = [], reverse("cases:queue") + "?sort=newest"
    while url:
        response = officer.get(url)
        seen += [row["case"].pk for row in response.context["rows"]]
        cursor = response.context["page"].next_cursor
        url = reverse("cases:queue") + f"?sort=newest&after={cursor}" if cursor else None
    assert len(seen) == len(set(seen)) == 7
    only_mine = officer.get(reverse("cases:queue") + "?assigned=me").context["rows"]
    assert [row["case"].pk for row in only_mine] == [mine.pk]
    assert officer.get(reverse("cases:queue") + "?after=garbage").status_code == 200
    assert officer.get(reverse("cases:queue") + "?status=nonsense&sort=x").status_code == 200


def test_overdue_cases_are_flagged(team, signed_in, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    make_referral(team["partner"])
    time_machine.move_to(timezone.now() + timedelta(days=14), tick=False)
    officer = signed_in(user=team["officer"])
    response = officer.get(reverse("cases:queue") + "?overdue=on")
    assert len(response.context["rows"]) == 1 and "Overdue" in response.content.decode()


def test_the_referrer_sees_status_changes_and_chosen_feedback_only(case, team, signed_in):
    referral = case.referrals.get()
    partner = signed_in(user=team["partner"])
    case = to_assessment(case, team)
    services.add_note(case, by=team["officer"], text="Police-only note about the family.")
    services.share_feedback(referral, by=team["officer"], text="Thank you. We are looking into this.")
    body = partner.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Under assessment" in body and "Thank you. We are looking into this." in body
    assert "Police-only note" not in body and case.reference not in body
    event = AuditEvent.objects.get(action="referral.feedback_shared")
    assert event.details["recipient_organisation_id"] == team["partner"].organisation_id


def test_empty_or_over_long_feedback_is_refused_with_a_message_and_the_words_kept(case, team, signed_in):
    referral = case.referrals.get()
    officer = signed_in(user=team["officer"])
    url = reverse("cases:feedback", args=[case.pk, referral.pk])
    empty = officer.post(url, {"feedback": "   "})
    assert empty.status_code == 200
    assert "Enter the feedback to share with the referrer" in empty.content.decode()
    assert "govuk-error-summary" in empty.content.decode()
    long = officer.post(url, {"feedback": "Thank you. " + "x" * 2000})
    assert "Feedback must be 2000 characters or fewer" in long.content.decode()
    assert "Thank you. xxx" in long.content.decode()  # what was typed is kept
    referral.refresh_from_db()
    assert referral.feedback == ""
    assert not AuditEvent.objects.filter(action="referral.feedback_shared").exists()
    with pytest.raises(ValidationError):
        services.share_feedback(referral, by=team["officer"], text=" ")
    assert officer.post(url, {"feedback": "We are looking into this."}).status_code == 302
    referral.refresh_from_db()
    assert referral.feedback == "We are looking into this."


def test_a_confirmed_repeat_joins_the_earlier_open_case(team, signed_in):
    earlier = make_referral(team["partner"], surname="Khan", forenames="Mohammed")
    assigned(earlier.case, team)
    later = make_referral(team["partner"], surname="Khan", forenames="Mohammed")

    intake.decide_link(later.links.get(), by=team["supervisor"], same_person=True)
    later.refresh_from_db()
    old_case = Case.objects.get(referrals=earlier)
    assert later.case == old_case and old_case.referral_count == 2
    assert Case.objects.filter(status=Case.Status.MERGED).count() == 1
    assert AuditEvent.objects.filter(action="case.merged").exists()


def test_the_queue_says_what_each_case_needs_next(team, signed_in):
    case = make_referral(team["partner"]).case
    officer = signed_in(user=team["officer"])
    (row,) = officer.get(reverse("cases:queue")).context["rows"]
    assert row["case"] == case and row["next"] == "Triage"


def test_no_current_assessment_template_is_a_clear_message_not_an_error(case, team, signed_in):
    from cases.models import AssessmentTemplate

    case = to_assessment(case, team)
    AssessmentTemplate.objects.update(is_current=False)
    response = signed_in(user=team["officer"]).get(reverse("cases:assess", args=[case.pk]), follow=True)
    assert "No assessment template is in use" in response.content.decode()


@pytest.mark.parametrize("version", ["²", "٣", "-1", "99999999999999999999"])
def test_a_version_that_is_not_a_plain_number_is_treated_as_missing_not_a_server_error(case, team, signed_in, version):
    case = assigned(case, team)
    officer = signed_in(user=team["officer"])
    response = officer.post(reverse("cases:move", args=[case.pk]), {"action": "start_gathering", "version": version})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.GATHERING


@pytest.mark.parametrize("to", ["²", "١٢", "-1", "99999999999999999999", ""])
def test_an_assignee_that_is_not_a_plain_id_is_refused_with_a_message(case, team, signed_in, to):
    supervisor = signed_in(user=team["supervisor"])
    response = supervisor.post(reverse("cases:assign", args=[case.pk]), {"to": to}, follow=True)
    assert response.status_code == 200 and "Select an officer." in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to is None
    assert not AuditEvent.objects.filter(action__in=["case.assigned", "case.reassigned"]).exists()


@pytest.mark.parametrize(
    "raw", ["9999-12-31T23:59:59-14:00|{pk}", "0001-01-01T00:00:00+14:00|{pk}", "2026-01-01T00:00:00+00:00|²"]
)
def test_a_queue_cursor_out_of_range_starts_again(team, signed_in, raw):
    from core import cursors

    make_referral(team["partner"])
    officer = signed_in(user=team["officer"])
    # Signed as the queue signs its own: the signature alone must not let made-up keys in.
    cursor = cursors.signer("cases.queue.received_at").sign_object(raw.format(pk=Case.objects.get().pk).split("|"))
    response = officer.get(reverse("cases:queue"), {"sort": "newest", "after": cursor})
    assert response.status_code == 200 and len(response.context["rows"]) == 1
