"""Reassigning several cases from the queue: one officer, one reason, each case audited and told; all or none."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import Case
from notifications.models import Notification
from tests.referrals.factories import make_referral


@pytest.fixture
def team(make_user):
    return {
        "officer": make_user(Role.PREVENT_OFFICER),
        "other_officer": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


def owned_cases(team, n, owner="officer"):
    return [
        services.assign(make_referral(team["partner"]).case, to=team[owner], by=team["supervisor"]) for _ in range(n)
    ]


def versions(cases):
    return {case.pk: Case.objects.get(pk=case.pk).version for case in cases}


def test_a_supervisor_reassigns_several_cases_each_audited_with_the_reason_and_told_on_commit(
    team, django_capture_on_commit_callbacks
):
    cases = owned_cases(team, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reassign_many(
            versions(cases), to=team["other_officer"], by=team["supervisor"], reason="Covering annual leave."
        )
    for case in cases:
        case = Case.objects.get(pk=case.pk)
        assert case.assigned_to == team["other_officer"]
        event = AuditEvent.objects.get(action="case.reassigned", target_id=str(case.pk))
        assert event.reason == "Covering annual leave."
        assert event.details == {"to_user_id": team["other_officer"].pk, "from_user_id": team["officer"].pk}
        assert case.events.first().what.endswith(": Covering annual leave.")
    notices = Notification.objects.filter(recipient=team["other_officer"], kind=Notification.Kind.CASE_ASSIGNED)
    assert sorted(notices.values_list("reference", flat=True)) == sorted(case.reference for case in cases)
    assert len([m for m in mail.outbox if team["other_officer"].email in m.to]) == 3


def test_an_officer_hands_on_their_own_cases(team):
    cases = owned_cases(team, 2)
    services.reassign_many(versions(cases), to=team["other_officer"], by=team["officer"], reason="Moving team.")
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("assigned_to", flat=True)) == {
        team["other_officer"].pk
    }


def test_an_officer_selecting_someone_elses_case_reassigns_nothing_and_is_told_its_reference(team):
    mine, theirs = owned_cases(team, 1)[0], owned_cases(team, 1, owner="other_officer")[0]
    with pytest.raises(ValidationError) as refused:
        services.reassign_many(versions([mine, theirs]), to=team["supervisor"], by=team["officer"], reason="Leaving.")
    assert theirs.reference in str(refused.value) and mine.reference not in str(refused.value)
    assert Case.objects.get(pk=mine.pk).assigned_to == team["officer"]
    assert not AuditEvent.objects.filter(action="case.reassigned").exists()


def test_a_case_changed_since_the_queue_was_shown_refuses_the_whole_action(team):
    first, second = owned_cases(team, 2)
    shown = versions([first, second])
    services.move(second, by=team["officer"], action="start_gathering")
    with pytest.raises(services.Conflict) as refused:
        services.reassign_many(shown, to=team["other_officer"], by=team["supervisor"], reason="Workload.")
    assert second.reference in str(refused.value) and first.reference not in str(refused.value)
    assert Case.objects.get(pk=first.pk).assigned_to == team["officer"]


def test_a_reason_is_required_and_bounded(team):
    cases = owned_cases(team, 1)
    with pytest.raises(ValidationError, match="Enter why"):
        services.reassign_many(versions(cases), to=team["other_officer"], by=team["supervisor"], reason="  ")
    with pytest.raises(ValidationError, match="2,000 characters"):
        services.reassign_many(versions(cases), to=team["other_officer"], by=team["supervisor"], reason="x" * 2001)


def test_the_bulk_action_costs_the_same_queries_for_each_further_case(team, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(n):
        cases = owned_cases(team, n)
        team["other_officer"] = type(team["other_officer"]).objects.get(pk=team["other_officer"].pk)
        with CaptureQueriesContext(connection) as captured:
            services.reassign_many(versions(cases), to=team["other_officer"], by=team["supervisor"], reason="R.")
        return len(captured.captured_queries)

    one, two, three = cost(1), cost(2), cost(3)
    assert three - two == two - one


# The views


def post(client, data):
    return client.post(reverse("cases:bulk_reassign"), data)


def ticked(cases):
    return [f"{pk}:{version}" for pk, version in versions(cases).items()]


def test_the_queue_offers_a_supervisor_a_box_for_every_case_and_an_officer_for_their_own(team, signed_in):
    mine, theirs = owned_cases(team, 1)[0], owned_cases(team, 1, owner="other_officer")[0]
    body = signed_in(user=team["supervisor"]).get(reverse("cases:queue")).content.decode()
    assert f'value="{mine.pk}:' in body and f'value="{theirs.pk}:' in body
    body = signed_in(user=team["officer"]).get(reverse("cases:queue")).content.decode()
    assert f'value="{mine.pk}:' in body and f'value="{theirs.pk}:' not in body


def test_a_supervisor_confirms_then_the_cases_are_reassigned(team, signed_in):
    cases = owned_cases(team, 2)
    client = signed_in(user=team["supervisor"])
    data = {"cases": ticked(cases), "to": str(team["other_officer"].pk), "reason": "Covering leave."}
    asked = post(client, data)
    assert asked.status_code == 200
    assert f"Reassign 2 cases to {team['other_officer'].full_name}?" in asked.content.decode()
    assert Case.objects.filter(assigned_to=team["other_officer"]).count() == 0
    done = post(client, {**data, "confirmed": "yes"})
    assert done.status_code == 302 and done.url == reverse("cases:queue")
    assert Case.objects.filter(assigned_to=team["other_officer"]).count() == 2


def test_bad_input_is_shown_back_with_the_selection_kept(team, signed_in):
    cases = owned_cases(team, 2)
    response = post(signed_in(user=team["supervisor"]), {"cases": ticked(cases), "to": "", "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select an officer" in body and "Enter why you are reassigning these cases" in body
    for value in ticked(cases):
        assert f'value="{value}" checked' in body
    assert "There is a problem" in body


def test_no_case_ticked_is_a_message_not_a_500(team, signed_in):
    response = post(signed_in(user=team["supervisor"]), {"to": str(team["officer"].pk), "reason": "R."})
    assert response.status_code == 200 and "Select at least one case to reassign" in response.content.decode()


def test_an_officer_refused_for_another_officers_case_keeps_the_selection_and_sees_the_reference(team, signed_in):
    mine, theirs = owned_cases(team, 1)[0], owned_cases(team, 1, owner="other_officer")[0]
    data = {"cases": ticked([mine, theirs]), "to": str(team["supervisor"].pk), "reason": "R.", "confirmed": "yes"}
    response = post(signed_in(user=team["officer"]), data)
    body = response.content.decode()
    assert response.status_code == 200 and f"You cannot reassign {theirs.reference}" in body
    assert all(f'value="{value}" checked' in body for value in ticked([mine, theirs]))
    assert Case.objects.get(pk=mine.pk).assigned_to == team["officer"]


def test_a_referrer_may_not_reassign(team, signed_in):
    cases = owned_cases(team, 1)
    data = {"cases": ticked(cases), "to": str(team["other_officer"].pk), "reason": "R.", "confirmed": "yes"}
    assert post(signed_in(user=team["partner"]), data).status_code == 403
    assert Case.objects.get(pk=cases[0].pk).assigned_to == team["officer"]


def test_the_reassign_page_answers_post_only(team, signed_in):
    assert signed_in(user=team["supervisor"]).get(reverse("cases:bulk_reassign")).status_code == 405


def test_cases_go_only_to_the_prevent_team(team):
    cases = owned_cases(team, 1)
    with pytest.raises(ValidationError, match="Prevent team"):
        services.reassign_many(versions(cases), to=team["partner"], by=team["supervisor"], reason="R.")
    assert Case.objects.get(pk=cases[0].pk).assigned_to == team["officer"]
