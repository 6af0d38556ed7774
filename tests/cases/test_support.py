from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases import panel, services, support
from cases.models import AgendaItem, Case, Consent, Review
from tests.cases.support_factories import case_in_support, decided_case, plan_support
from tests.conftest import sign_in_client


@pytest.fixture
def shared(make_user):
    case = plan_support(case_in_support(make_user))
    provider = make_user(Role.SUPPORT_PROVIDER)
    grant = support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    return {"case": case, "provider": provider, "grant": grant, "client": sign_in_client(Client(), provider)}


def test_a_provider_sees_only_the_sections_shared_and_it_is_audited_as_a_disclosure(shared):
    url = reverse("cases:provided_case", args=[shared["case"].pk])
    body = shared["client"].get(url).content.decode()
    assert "Weekly mentoring" in body and "sharing violent material" not in body  # concerns not shared
    assert shared["client"].get(reverse("cases:detail", args=[shared["case"].pk])).status_code == 403
    granted = AuditEvent.objects.get(action="case.disclosed_to_provider")
    assert granted.details["recipient_user_id"] == shared["provider"].pk
    viewed = AuditEvent.objects.get(action="case.viewed_by_provider")
    assert viewed.details["sections"] == ["support_plan"]


def test_another_provider_cannot_see_the_case(shared, make_user):
    other = sign_in_client(Client(), make_user(Role.SUPPORT_PROVIDER))
    assert other.get(reverse("cases:provided_case", args=[shared["case"].pk])).status_code == 404
    assert "Case " not in other.get(reverse("cases:provided")).content.decode().split("Cases shared with you")[-1]


def test_after_revocation_the_provider_gets_not_found_at_once(shared):
    url = reverse("cases:provided_case", args=[shared["case"].pk])
    assert shared["client"].get(url).status_code == 200
    support.revoke_provider(shared["grant"], by=shared["case"].assigned_to)
    assert shared["client"].get(url).status_code == 404
    assert not shared["provider"].has_perm("cases.support_case", shared["case"])
    assert AuditEvent.objects.filter(action="case.provider_access_revoked").exists()


def test_a_provider_records_progress_and_hands_the_case_back(shared):
    url = reverse("cases:provided_case", args=[shared["case"].pk])
    shared["client"].post(url, {"text": "Attended two sessions."})
    assert shared["case"].progress_notes.get().text == "Attended two sessions."
    shared["client"].post(reverse("cases:hand_back", args=[shared["case"].pk]))
    assert shared["client"].get(url).status_code == 404


def test_no_provider_access_without_consent_and_refusal_ends_it(make_user):
    case = decided_case(make_user)
    provider = make_user(Role.SUPPORT_PROVIDER)
    with pytest.raises(ValidationError, match="Record consent"):
        support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["needs"])
    support.record_consent(
        case, by=case.assigned_to, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PERSON, under_18=False
    )
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["needs"])
    support.record_consent(
        case, by=case.assigned_to, state=Consent.State.WITHDRAWN, given_by=Consent.GivenBy.PERSON, under_18=False
    )
    assert not provider.has_perm("cases.support_case", case)


def test_consent_for_a_child_comes_from_a_parent_or_guardian(make_user):
    case = decided_case(make_user)
    with pytest.raises(ValidationError):
        support.record_consent(
            case, by=case.assigned_to, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PERSON, under_18=True
        )


def test_panel_members_see_only_their_meetings_agendas(make_user):
    case = case_in_support(make_user, stop_at="channel")
    supervisor = make_user(Role.SUPERVISOR)
    member, outsider = make_user(Role.PANEL_MEMBER), make_user(Role.PANEL_MEMBER)
    services.add_note(case, by=supervisor, text="Police-only intelligence.")
    meeting = support.create_meeting(by=supervisor, meets_on=timezone.localdate(), title="Panel", members=[member])
    item = support.list_case(meeting, case=case, by=supervisor)
    panel.write_summary(item, by=supervisor, text="Struggling at college; family asks for help.")
    member_client, outsider_client = sign_in_client(Client(), member), sign_in_client(Client(), outsider)
    body = member_client.get(reverse("cases:meeting", args=[meeting.pk])).content.decode()
    assert case.reference in body and "Struggling at college; family asks for help." in body
    # The decision's rationale and the case notes are police-only: the panel reads the summary written for it.
    assert "Needs support." not in body and "Police-only intelligence." not in body
    assert outsider_client.get(reverse("cases:meeting", args=[meeting.pk])).status_code == 404
    assert member_client.get(reverse("cases:detail", args=[case.pk])).status_code == 403
    disclosed = AuditEvent.objects.get(action="case.disclosed_to_panel")
    assert disclosed.details["recipient_user_ids"] == [member.pk]


def test_the_meeting_list_is_audited_naming_the_meetings_each_user_was_shown(make_user):
    supervisor, member = make_user(Role.SUPERVISOR), make_user(Role.PANEL_MEMBER)
    today = timezone.localdate()
    theirs = support.create_meeting(by=supervisor, meets_on=today, title="Panel about A. Pupil", members=[member])
    other = support.create_meeting(by=supervisor, meets_on=today, title="Another panel", members=[])
    for user, shown in ((member, [theirs]), (supervisor, [theirs, other])):
        response = sign_in_client(Client(), user).get(reverse("cases:meetings"))
        assert response.status_code == 200
        listed = AuditEvent.objects.get(action="panel.list_viewed", actor=user)
        assert listed.target_type == "cases.panelmeeting"
        assert sorted(listed.details["ids"]) == sorted(str(meeting.pk) for meeting in shown)
        assert "A. Pupil" not in str(listed.details)
    nobody = sign_in_client(Client(), make_user(Role.PANEL_MEMBER))
    assert nobody.get(reverse("cases:meetings")).status_code == 200  # an empty list writes no event
    assert AuditEvent.objects.filter(action="panel.list_viewed").count() == 2


def test_the_panel_adopts_or_not_and_the_case_moves_on(make_user):
    supervisor, member = make_user(Role.SUPERVISOR), make_user(Role.PANEL_MEMBER)
    meeting = support.create_meeting(by=supervisor, meets_on=timezone.localdate(), title="Panel", members=[member])
    adopted = case_in_support(make_user, stop_at="channel")
    declined = case_in_support(make_user, stop_at="channel")
    member_client = sign_in_client(Client(), member)
    for case, answer in ((adopted, "yes"), (declined, "no")):
        item = support.list_case(meeting, case=case, by=supervisor)
        member_client.post(
            reverse("cases:meeting_decide", args=[meeting.pk, item.pk]),
            {"adopted": answer, "onward_referral": "Children's social care"},
        )
    assert Case.objects.get(pk=adopted.pk).status == Case.Status.SUPPORT
    declined = Case.objects.get(pk=declined.pk)
    assert declined.status == Case.Status.CLOSED and declined.reviews.count() == 2
    assert AgendaItem.objects.get(case=declined).onward_referral == "Children's social care"


def test_a_panel_decision_left_out_is_refused_by_the_field_and_in_the_summary(make_user):
    supervisor, member = make_user(Role.SUPERVISOR), make_user(Role.PANEL_MEMBER)
    meeting = support.create_meeting(by=supervisor, meets_on=timezone.localdate(), title="Panel", members=[member])
    case = case_in_support(make_user, stop_at="channel")
    item = support.list_case(meeting, case=case, by=supervisor)
    member_client = sign_in_client(Client(), member)
    url = reverse("cases:meeting_decide", args=[meeting.pk, item.pk])
    response = member_client.post(url, {"onward_referral": "Children's social care"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body
    assert f'<a href="#adopt-{item.pk}">Select the panel&#x27;s decision</a>' in body
    assert f'id="adopt-{item.pk}-error"' in body
    assert 'value="Children&#x27;s social care"' in body  # what was typed is kept
    assert "govuk-notification-banner" not in body
    assert Case.objects.get(pk=case.pk).status == Case.Status.CHANNEL
    member_client.post(url, {"adopted": "yes"})
    again = member_client.post(url, {"adopted": "no"})
    assert "already recorded" in again.content.decode()  # the service's refusal, in the summary
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUPPORT


def test_a_panel_decision_cannot_be_recorded_before_the_meeting(make_user, time_machine):
    supervisor, member = make_user(Role.SUPERVISOR), make_user(Role.PANEL_MEMBER)
    next_week = timezone.localdate() + timedelta(days=7)
    meeting = support.create_meeting(by=supervisor, meets_on=next_week, title="Panel", members=[member])
    case = case_in_support(make_user, stop_at="channel")
    item = support.list_case(meeting, case=case, by=supervisor)
    url = reverse("cases:meeting_decide", args=[meeting.pk, item.pk])
    refused = sign_in_client(Client(), member).post(url, {"adopted": "yes"})
    assert f"The panel meets on {next_week:%-d %B %Y}: record its decision on or after that day." in (
        refused.content.decode().replace("&#x27;", "'")
    )
    assert Case.objects.get(pk=case.pk).status == Case.Status.CHANNEL
    time_machine.move_to(datetime.combine(next_week, time(14)), tick=False)
    support.record_panel_decision(AgendaItem.objects.get(pk=item.pk), by=member, adopted=True)
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUPPORT


def test_closure_schedules_reviews_that_come_back_into_the_queue(make_user, signed_in, time_machine):
    case = case_in_support(make_user)
    supervisor = make_user(Role.SUPERVISOR)
    case = services.move(case, by=case.assigned_to, action="propose_closure")
    services.sign_off_closure(case, by=supervisor, approve=True, expected_version=None)
    case = Case.objects.get(pk=case.pk)
    assert [review.months for review in case.reviews.all()] == [6, 12]
    officer = sign_in_client(Client(), case.assigned_to)
    assert officer.get(reverse("cases:queue")).context["rows"] == []
    time_machine.move_to(timezone.now() + timedelta(days=190), tick=False)
    officer = sign_in_client(Client(), case.assigned_to)  # half a year later: a new sign-in
    rows = officer.get(reverse("cases:queue")).context["rows"]
    assert [row["case"].pk for row in rows] == [case.pk]


def test_a_review_can_extend_or_reopen(make_user):
    case = case_in_support(make_user)
    supervisor = make_user(Role.SUPERVISOR)
    case = services.move(case, by=case.assigned_to, action="propose_closure")
    services.sign_off_closure(case, by=supervisor, approve=True, expected_version=None)
    six = Review.objects.get(case=case, months=6)
    early = "New information from the school."
    support.complete_review(six, by=case.assigned_to, outcome=Review.Outcome.NO_CONCERNS, note=early)
    twelve = Review.objects.get(case=case, months=12)
    support.complete_review(twelve, by=case.assigned_to, outcome=Review.Outcome.EXTENDED, note=early)
    assert Review.objects.filter(case=case, months=24, done_at__isnull=True).exists()
    twenty_four = Review.objects.get(case=case, months=24)
    support.complete_review(twenty_four, by=case.assigned_to, outcome="reopened", note=early)
    case = Case.objects.get(pk=case.pk)
    assert case.status == Case.Status.GATHERING and case.review_due is None
    with pytest.raises(ValidationError):
        support.complete_review(six, by=case.assigned_to, outcome=Review.Outcome.NO_CONCERNS)


def test_a_review_before_its_due_date_needs_a_reason(make_user, time_machine):
    case = case_in_support(make_user)
    case = services.move(case, by=case.assigned_to, action="propose_closure")
    services.sign_off_closure(case, by=make_user(Role.SUPERVISOR), approve=True, expected_version=None)
    six = Review.objects.get(case=case, months=6)
    officer = sign_in_client(Client(), case.assigned_to)
    url = reverse("cases:review", args=[case.pk, six.pk])
    response = officer.post(url, {"outcome": Review.Outcome.NO_CONCERNS})
    assert response.status_code == 200
    assert f"Give a reason for reviewing early: this review is due on {six.due_on:%-d %B %Y}" in (
        response.content.decode()
    )
    six.refresh_from_db()
    assert six.done_at is None
    # On its due date no reason is needed.
    time_machine.move_to(datetime.combine(six.due_on, time(10)), tick=False)
    support.complete_review(six, by=case.assigned_to, outcome=Review.Outcome.NO_CONCERNS)
    six.refresh_from_db()
    assert six.done_at is not None and six.note == ""


def test_the_agenda_runs_a_fixed_number_of_queries(make_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supervisor = make_user(Role.SUPERVISOR)
    meeting = support.create_meeting(by=supervisor, meets_on=timezone.localdate(), title="Panel", members=[])
    client = sign_in_client(Client(), supervisor)
    support.list_case(meeting, case=case_in_support(make_user, stop_at="channel"), by=supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:meeting", args=[meeting.pk]))
    for _ in range(3):
        support.list_case(meeting, case=case_in_support(make_user, stop_at="channel"), by=supervisor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:meeting", args=[meeting.pk]))
    assert response.status_code == 200


def test_access_can_go_to_every_provider_in_an_organisation(make_user, make_organisation):
    from accounts.models import Organisation

    case = case_in_support(make_user)
    mentors = make_organisation(Organisation.Kind.SUPPORT_PROVIDER)
    first, second = (make_user(Role.SUPPORT_PROVIDER, organisation=mentors) for _ in range(2))
    elsewhere = make_user(Role.SUPPORT_PROVIDER)
    client = sign_in_client(Client(), case.assigned_to)
    response = client.post(
        reverse("cases:grant", args=[case.pk]), {"provider": f"org:{mentors.pk}", "sections": ["needs"]}
    )
    assert response.status_code == 302
    assert first.has_perm("cases.support_case", case) and second.has_perm("cases.support_case", case)
    assert not elsewhere.has_perm("cases.support_case", case)
    assert AuditEvent.objects.filter(action="case.disclosed_to_provider").count() == 2


def test_the_closure_sign_off_speaks_of_closure(make_user):
    case = case_in_support(make_user)
    case = services.move(case, by=case.assigned_to, action="propose_closure")
    supervisor = sign_in_client(Client(), make_user(Role.SUPERVISOR))
    body = supervisor.get(reverse("cases:sign_off", args=[case.pk])).content.decode()
    assert "Sign off: close the case" in body and "decision stands" not in body


def test_closing_a_case_ends_every_providers_access(shared, make_user):
    case = services.move(shared["case"], by=shared["case"].assigned_to, action="propose_closure")
    services.sign_off_closure(case, by=make_user(Role.SUPERVISOR), approve=True, expected_version=None)
    assert shared["client"].get(reverse("cases:provided_case", args=[case.pk])).status_code == 404
    assert not shared["provider"].has_perm("cases.support_case", case)


def test_officers_see_only_the_agenda_items_of_cases_they_may_open(make_user):
    case = case_in_support(make_user, stop_at="channel")
    supervisor = make_user(Role.SUPERVISOR)
    meeting = support.create_meeting(by=supervisor, meets_on=timezone.localdate(), title="Panel", members=[])
    support.list_case(meeting, case=case, by=supervisor)
    stranger = sign_in_client(Client(), make_user(Role.PREVENT_OFFICER))
    body = stranger.get(reverse("cases:meeting", args=[meeting.pk])).content.decode()
    assert case.reference not in body and "Needs support." not in body
    own = sign_in_client(Client(), case.assigned_to).get(reverse("cases:meeting", args=[meeting.pk]))
    assert case.reference in own.content.decode()
    assert stranger.post(reverse("cases:meeting_list_case", args=[meeting.pk]), {"case": "nonsense"}).status_code == 404


def test_a_panel_decision_is_recorded_once(make_user):
    case = case_in_support(make_user, stop_at="channel")
    supervisor = make_user(Role.SUPERVISOR)
    meeting = support.create_meeting(by=supervisor, meets_on=timezone.localdate(), title="Panel", members=[])
    item = support.list_case(meeting, case=case, by=supervisor)
    support.record_panel_decision(item, by=supervisor, adopted=True)
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="already recorded"):
        support.record_panel_decision(item, by=supervisor, adopted=False)


def test_handing_back_asks_first_and_a_get_changes_nothing(shared):
    url = reverse("cases:hand_back", args=[shared["case"].pk])
    page = shared["client"].get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Hand case {shared['case'].reference} back to the Prevent team?" in body
    assert f'action="{url}"' in body and "Cancel" in body
    shared["grant"].refresh_from_db()
    assert shared["grant"].revoked_at is None
    assert not AuditEvent.objects.filter(action="case.provider_access_revoked").exists()
    shared["client"].post(url)
    shared["grant"].refresh_from_db()
    assert shared["grant"].revoked_at is not None and shared["grant"].handed_back_at is not None


def test_ending_access_asks_first_then_ends_it(shared):
    officer = sign_in_client(Client(), shared["case"].assigned_to)
    url = reverse("cases:revoke", args=[shared["case"].pk, shared["grant"].pk])
    detail = officer.get(reverse("cases:detail", args=[shared["case"].pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a one-click form
    page = officer.get(url)
    assert page.status_code == 200
    assert f"End {shared['provider'].full_name}&#x27;s access to case {shared['case'].reference}?" in (
        page.content.decode()
    )
    shared["grant"].refresh_from_db()
    assert shared["grant"].revoked_at is None
    assert officer.post(url).status_code == 302
    shared["grant"].refresh_from_db()
    assert shared["grant"].revoked_at is not None
    again = officer.get(url, follow=True)
    assert "already ended" in again.content.decode()


def test_under_18_is_worked_out_from_the_date_of_birth_and_asked_only_when_unknown(make_user, time_machine):
    from referrals.facts import under_18_on

    day = date(2026, 12, 3)
    assert under_18_on({"dob_known": "exact", "date_of_birth": "2008-12-04"}, day) is True
    assert under_18_on({"dob_known": "exact", "date_of_birth": "2008-12-03"}, day) is False
    assert under_18_on({"dob_known": "year", "birth_year": 2010}, day) is True
    assert under_18_on({"dob_known": "year", "birth_year": 2008}, day) is None  # 17 or 18 this year
    assert under_18_on({"dob_known": "year", "birth_year": 2007}, day) is False
    assert under_18_on({"dob_known": "age", "approximate_age": 12}, day) is None
    assert under_18_on({}, day) is None

    case = case_in_support(make_user, stop_at="channel")  # born in 2010
    officer = sign_in_client(Client(), case.assigned_to)
    url = reverse("cases:consent", args=[case.pk])
    page = officer.get(url).content.decode()
    assert "Is the person under 18?" not in page and "They are under 18 (from their date of birth)" in page
    refused = officer.post(url, {"given_by": Consent.GivenBy.PERSON, "state": Consent.State.GIVEN})
    assert "consent comes from a parent or guardian" in refused.content.decode()
    officer.post(url, {"given_by": Consent.GivenBy.PARENT, "state": Consent.State.GIVEN})
    assert Consent.objects.filter(case=case).latest("recorded_at").under_18 is True

    referral = case.referrals.get()
    referral.answers["the-person"] |= {"dob_known": "age", "approximate_age": 17, "birth_year": None}
    referral.save(update_fields=["answers"])
    assert "Is the person under 18?" in officer.get(url).content.decode()
